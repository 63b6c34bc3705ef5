//! The staff app at `/staff/` (Trunk builds it from `staff.html` into `dist/staff/`), a
//! binary of its own so that the child's app at `/` does not carry it.

fn main() {
    yew::Renderer::<beratta_web::staff::Root>::new().render();
}
