//! A V3 function import marked only `IsComposable="true"` (SharePoint's `GetByTitle`) is a
//! function: it is read with `GET`, and the path goes on from its result.

use golden_v3_function_import::golden_v3::requests::Service;
use odata_runtime::Method;
use odata_runtime::prelude::*;

#[test]
fn a_composable_import_is_a_get_and_composes() {
    let svc = Service::new("https://example.com/svc");
    let doc = svc.documents().get_by_title(Some("Q3 report"));
    let read = doc.get().to_request().unwrap();
    assert_eq!(read.method, Method::Get);
    assert_eq!(
        read.url,
        "https://example.com/svc/Documents/GetByTitle?title='Q3%20report'"
    );
    let body = doc.value().get().to_request().unwrap();
    assert_eq!(
        body.url,
        "https://example.com/svc/Documents/GetByTitle/$value?title='Q3%20report'"
    );
}
