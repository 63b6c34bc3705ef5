//! Moving the keyboard focus to where a page begins (its heading) when the page appears, so
//! a screen reader starts reading there and a keyboard user starts from there.

use web_sys::HtmlElement;
use yew::prelude::*;

/// A ref for the element that takes the focus when the component appears and whenever
/// `deps` change (pass `()` for once).
#[hook]
pub fn use_focus_on<D>(deps: D) -> NodeRef
where
    D: PartialEq + 'static,
{
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with(deps, move |_| {
            if let Some(element) = node.cast::<HtmlElement>() {
                let _ = element.focus();
            }
        });
    }
    node
}
