//! The built front end: static files from Trunk's `dist/`, and `index.html` for every other
//! path, because the single-page app does its own routing in the browser. Under `/staff/`
//! the same holds for the staff app in `dist/staff/`, a bundle of its own so that children
//! never download the staff pages.

use crate::frontend::Frontend;
use crate::AppState;
use actix_files::Files;
use actix_web::dev::{fn_service, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, CacheControl, CacheDirective, ContentType};
use actix_web::http::Method;
use actix_web::web::Bytes;
use actix_web::{web, HttpRequest, HttpResponse};

/// Registers the front end, or, when it is not built, a page that says so.
pub fn config(cfg: &mut web::ServiceConfig, frontend: &Frontend) {
    let Some(dir) = frontend.dir() else {
        cfg.default_service(web::to(not_built));
        return;
    };
    // `/staff…` first: the files at `/` would otherwise answer those paths with the child's page.
    cfg.service(
        web::resource(["/staff", "/staff/", "/staff/index.html"])
            .route(web::get().to(staff_index))
            .route(web::head().to(staff_index)),
    )
    .service(Files::new("/staff", dir.join("staff")).prefer_utf8(true).default_handler(fn_service(
        |req: ServiceRequest| async {
            let (req, _) = req.into_parts();
            let res = staff_index(req.clone()).await;
            Ok(ServiceResponse::new(req, res))
        },
    )))
    .service(web::resource(["/", "/index.html"]).route(web::get().to(index)).route(web::head().to(index)))
    .service(Files::new("/", dir).prefer_utf8(true).default_handler(fn_service(|req: ServiceRequest| async {
        let (req, _) = req.into_parts();
        let res = index(req.clone()).await;
        Ok(ServiceResponse::new(req, res))
    })));
}

/// The child's page read at start, whose inline script the Content-Security-Policy names by hash.
async fn index(req: HttpRequest) -> HttpResponse {
    page(&req, Frontend::index_html).await
}

/// The staff app's page read at start, likewise named in the policy.
async fn staff_index(req: HttpRequest) -> HttpResponse {
    page(&req, Frontend::staff_index_html).await
}

async fn page(req: &HttpRequest, which: fn(&Frontend) -> Option<Bytes>) -> HttpResponse {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return HttpResponse::MethodNotAllowed().insert_header((header::ALLOW, "GET, HEAD")).finish();
    }
    let Some(html) = req.app_data::<web::Data<AppState>>().and_then(|s| which(&s.frontend)) else {
        return not_built().await;
    };
    HttpResponse::Ok()
        .content_type(ContentType::html())
        // Revalidated on every load, so a new build reaches children at once; the files it
        // names carry content hashes and may be cached.
        .insert_header(CacheControl(vec![CacheDirective::NoCache]))
        .body(html)
}

async fn not_built() -> HttpResponse {
    HttpResponse::ServiceUnavailable().content_type(ContentType::plaintext()).body(
        "The Berätta front end is not built yet, so there is nothing to show here. \
         `make run` builds it and starts the server; the API under /api works without it.\n",
    )
}
