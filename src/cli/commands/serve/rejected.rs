//! Requests refused before a route's own code runs, answered as every other refusal of the API
//! is: JSON `{"error": message}` in Dutch, with the status axum gives them (docs/SERVE.md,
//! "Errors").
//!
//! axum answers these itself with English plain text ("Failed to buffer the request body:
//! length limit exceeded") or an empty body. Each is taken over with axum's own means, by its
//! type or status, never by its English text:
//!
//! - a body over the route's limit (413) or one that cannot be read whole (400): the [`Body`]
//!   extractor, which reads the body as axum's `Bytes` does and words its
//!   [`BytesRejection`]; the limit it names is the one [`limited`] set on the route;
//! - a path segment that is not UTF-8 text after percent-decoding (`/profiel/%FF`, 400):
//!   [`path_refused`] for the [`PathRejection`] of `Path<String>`;
//! - a method the address does not take (`GET /api/test-site`, 405): [`not_allowed`], a
//!   response mapping that reads the `Allow` header axum sets;
//! - an unknown address (404): [`not_found`], the router's fallback.
//!
//! No route reads `Content-Type`: a body is read as JSON whatever the header says, so a
//! missing or other content type is not a refusal.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, FailedToBufferBody, PathRejection};
use axum::extract::{DefaultBodyLimit, FromRequest, Request};
use axum::http::{header, Method, StatusCode, Uri};
use axum::response::Response;
use axum::{Extension, Router};

use super::error;

/// The body limit of a route and what to do when a request is over it, set by [`limited`] and
/// read by [`Body`] to word the refusal.
#[derive(Clone, Debug)]
pub struct BodyLimit {
    /// The most bytes a body may hold.
    pub bytes: usize,
    /// What to do instead, after the limit (Dutch).
    pub advice: String,
}

/// `router` with its body limit: axum's [`DefaultBodyLimit`] of `limit.bytes`, and the limit
/// itself for [`Body`]'s message. A router layered inside another (a route with a larger
/// limit) overrides the outer one for both, as the inner layer runs last.
pub fn limited<S>(router: Router<S>, limit: BodyLimit) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    router
        .layer(DefaultBodyLimit::max(limit.bytes))
        .layer(Extension(limit))
}

/// A request body read whole (as axum's `Bytes`), or the Dutch refusal: over the route's limit
/// 413, otherwise (a connection broken off, a length that does not match the body) 400.
pub struct Body(pub Bytes);

impl<S> FromRequest<S> for Body
where
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let limit = req.extensions().get::<BodyLimit>().cloned();
        match Bytes::from_request(req, state).await {
            Ok(bytes) => Ok(Body(bytes)),
            Err(rejection) => Err(body_refused(&rejection, limit)),
        }
    }
}

/// The refusal of a body axum could not buffer, in Dutch, with the status of `rejection`.
///
/// Example: over a limit of 16 × 1024 bytes (advice "een voorstel is ongeveer 100 bytes"):
/// 413 "het verzoek is groter dan 16 kB (16.384 bytes), de grens van dit adres; een voorstel
/// is ongeveer 100 bytes".
fn body_refused(rejection: &BytesRejection, limit: Option<BodyLimit>) -> Response {
    let status = rejection.status();
    let message = match (rejection, limit) {
        (BytesRejection::FailedToBufferBody(FailedToBufferBody::LengthLimitError(_)), Some(l)) => {
            too_large(&l)
        }
        // Every route with a body is under `limited`; without it the limit is axum's default.
        (BytesRejection::FailedToBufferBody(FailedToBufferBody::LengthLimitError(_)), None) => {
            "het verzoek is groter dan dit adres aanneemt; stuur een kleiner verzoek".into()
        }
        _ => "het verzoek kan niet helemaal worden gelezen (de verbinding brak af of de \
              opgegeven lengte klopt niet); stuur het opnieuw"
            .into(),
    };
    error(status, message)
}

/// The message for a body over `limit`, the limit written the Dutch way.
fn too_large(limit: &BodyLimit) -> String {
    format!(
        "het verzoek is groter dan {} kB ({} bytes), de grens van dit adres; {}",
        crate::format::count(limit.bytes / 1024),
        crate::format::count(limit.bytes),
        limit.advice
    )
}

/// The refusal of a path segment axum could not read as the route's `Path<String>` (text that
/// is not UTF-8 after percent-decoding), in Dutch with axum's status.
///
/// Example: `/profiel/%FF` gives 400 "het adres /profiel/%FF is geen geldige tekst na het
/// decoderen van de %-tekens; geef de code van een wijk, zoals de kolom code van /api/areas
/// die noemt".
pub fn path_refused(rejection: &PathRejection, uri: &Uri) -> Response {
    error(
        rejection.status(),
        format!(
            "het adres {} is geen geldige tekst na het decoderen van de %-tekens; geef de code \
             van een wijk, zoals de kolom code van /api/areas die noemt",
            uri.path()
        ),
    )
}

/// The router's fallback: an address this server does not have, 404.
///
/// Example: `GET /api/area` gives "onbekend adres /api/area; de kaart staat op / en de adressen
/// van de API staan in docs/SERVE.md".
pub async fn not_found(uri: Uri) -> Response {
    error(
        StatusCode::NOT_FOUND,
        format!(
            "onbekend adres {}; de kaart staat op / en de adressen van de API staan in \
             docs/SERVE.md",
            uri.path()
        ),
    )
}

/// A response mapping for the whole router: axum's empty 405 (a method the address does not
/// take) as the Dutch refusal naming the methods of its `Allow` header, which stays; every
/// other response unchanged.
///
/// Example: `GET /api/test-site` gives "GET kan niet bij /api/test-site; stuur het verzoek met
/// POST".
pub async fn not_allowed(method: Method, uri: Uri, response: Response) -> Response {
    if response.status() != StatusCode::METHOD_NOT_ALLOWED {
        return response;
    }
    let allow = response.headers().get(header::ALLOW).cloned();
    let methods: Vec<&str> = allow
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|m| !m.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let message = format!(
        "{method} kan niet bij {}; stuur het verzoek met {}",
        uri.path(),
        if methods.is_empty() {
            "een andere methode".to_string()
        } else {
            methods.join(" of ")
        }
    );
    let mut refused = error(StatusCode::METHOD_NOT_ALLOWED, message);
    if let Some(allow) = allow {
        refused.headers_mut().insert(header::ALLOW, allow);
    }
    refused
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_is_written_the_dutch_way() {
        let l = BodyLimit {
            bytes: 64 * 1024,
            advice: "gebruik `wijkbalans scenario`".into(),
        };
        assert_eq!(
            too_large(&l),
            "het verzoek is groter dan 64 kB (65.536 bytes), de grens van dit adres; gebruik \
             `wijkbalans scenario`"
        );
    }
}
