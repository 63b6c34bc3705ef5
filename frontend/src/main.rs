//! The child's app at `/` (Trunk builds it from `index.html`). It renders only
//! [`beratta_web::child::App`], so the staff code is not linked in.

fn main() {
    yew::Renderer::<beratta_web::child::App>::new().render();
}
