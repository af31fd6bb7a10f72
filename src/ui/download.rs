//! Files the app hands to the user: a scenario, a breakdown, a reconciliation, a mapping.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// Downloads `text` as a file through a Blob URL and a temporary `<a download>`.
pub fn download(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no browser window")?;
    let document = window.document().ok_or("no document")?;
    let body = document.body().ok_or("no page body")?;
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "the browser could not build the file")?;
    let url = Url::create_object_url_with_blob(&blob)
        .map_err(|_| "the browser could not build a download link")?;
    let clicked = document
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<HtmlAnchorElement>().ok())
        .ok_or("the browser could not build a download link")
        .and_then(|a| {
            a.set_href(&url);
            a.set_download(file_name);
            a.set_hidden(true);
            body.append_child(&a)
                .map_err(|_| "the browser could not start the download")?;
            a.click();
            a.remove();
            Ok(())
        });
    // The download has started when `click` returns in current browsers; some older ones
    // resolve the URL a little later, so it is released after a moment rather than at once.
    gloo::timers::callback::Timeout::new(10_000, move || {
        let _ = Url::revoke_object_url(&url);
    })
    .forget();
    clicked.map_err(str::to_string)
}
