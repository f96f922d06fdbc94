//! Paging with an async client as `futures_core::Stream`s (feature `stream`): [`page_stream`]
//! yields the pages of a collection, [`item_stream`] its items, following next links.
//!
//! Both are lazy: a page is requested only when the stream is polled past the items it already
//! has, so a caller that stops early (`take(5)`, `break`, dropping the stream) fetches no more
//! pages. An error ends the stream after it is yielded.
//!
//! ```no_run
//! # async fn f(client: &reqwest::Client) -> Result<(), odata_runtime::Error> {
//! use futures_util::StreamExt as _;
//! # let first = odata_runtime::Request::get("https://example.com/svc/People");
//! let mut people = odata_runtime::stream::item_stream::<_, serde_json::Value>(client, first);
//! while let Some(person) = people.next().await {
//!     println!("{}", person?);
//! }
//! # Ok(()) }
//! ```

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::Error;
use crate::paging::{Page, fetch_page};
use crate::request::Request;

type Fetch<'c, T> = Pin<Box<dyn Future<Output = (Result<Page<T>, Error>, Request)> + Send + 'c>>;

/// The pages of a collection with an async client, see [`page_stream`].
#[must_use = "a stream does nothing until polled"]
pub struct PageStream<'c, C: ?Sized, T> {
    client: &'c C,
    /// The request of the next page, when it is not in flight yet.
    next: Option<Request>,
    in_flight: Option<Fetch<'c, T>>,
}

/// A stream of the pages of a collection: sends `first`, then a `GET` of each next link (see
/// [`Page::next_request`]) until a page has none. After an error the stream ends.
pub fn page_stream<'c, C, T>(client: &'c C, first: Request) -> PageStream<'c, C, T>
where
    C: Client + Sync + ?Sized,
    T: DeserializeOwned + Send + 'c,
{
    PageStream {
        client,
        next: Some(first),
        in_flight: None,
    }
}

impl<'c, C, T> Stream for PageStream<'c, C, T>
where
    C: Client + Sync + ?Sized,
    T: DeserializeOwned + Send + 'c,
{
    type Item = Result<Page<T>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // Every field is `Unpin` (the future is boxed).
        let this = self.get_mut();
        if this.in_flight.is_none() {
            let Some(request) = this.next.take() else {
                return Poll::Ready(None);
            };
            let client = this.client;
            this.in_flight = Some(Box::pin(async move {
                let page = fetch_page::<C, T>(client, request.clone()).await;
                (page, request)
            }));
        }
        let Some(fetch) = this.in_flight.as_mut() else {
            return Poll::Ready(None);
        };
        let (page, request) = match fetch.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(done) => done,
        };
        this.in_flight = None;
        let page = page.and_then(|page| {
            this.next = page.next_request(&request)?;
            Ok(page)
        });
        Poll::Ready(Some(page))
    }
}

/// The items of a collection across its pages with an async client, see [`item_stream`].
#[must_use = "a stream does nothing until polled"]
pub struct ItemStream<'c, C: ?Sized, T> {
    pages: PageStream<'c, C, T>,
    current: VecDeque<T>,
}

/// A stream of the items of a collection, requesting pages as it is polled (see
/// [`page_stream`]). A failed page yields one error and ends the stream.
pub fn item_stream<'c, C, T>(client: &'c C, first: Request) -> ItemStream<'c, C, T>
where
    C: Client + Sync + ?Sized,
    T: DeserializeOwned + Send + 'c,
{
    ItemStream {
        pages: page_stream(client, first),
        current: VecDeque::new(),
    }
}

impl<'c, C, T> Stream for ItemStream<'c, C, T>
where
    C: Client + Sync + ?Sized,
    T: DeserializeOwned + Send + 'c,
{
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.current.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => this.current = page.value.into(),
            }
        }
    }
}

impl<C: ?Sized, T> Unpin for PageStream<'_, C, T> {}
impl<C: ?Sized, T> Unpin for ItemStream<'_, C, T> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::Response;
    use futures_util::StreamExt as _;
    use std::sync::Mutex;

    /// Answers page `n` of a three-page collection, counting the requests.
    struct Pages3(Mutex<Vec<String>>);

    impl Client for Pages3 {
        fn send(&self, request: Request) -> impl Future<Output = Result<Response, Error>> + Send {
            let mut seen = self.0.lock().unwrap();
            seen.push(request.url.clone());
            let body = match seen.len() {
                1 => {
                    r#"{"@odata.context":"https://h/svc/$metadata#N","value":[1,2],"@odata.nextLink":"N?$skiptoken=2"}"#
                }
                2 => r#"{"value":[3,4],"@odata.nextLink":"https://h/svc/N?$skiptoken=4"}"#,
                3 => r#"{"value":[5]}"#,
                _ => r#"{"error":{"code":"x","message":"too many"}}"#,
            };
            let status = if seen.len() > 3 { 500 } else { 200 };
            std::future::ready(Ok(Response::new(status, vec![], body.as_bytes().to_vec())))
        }
    }

    fn run<F: Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn items_follow_next_links_and_stop_early() {
        let client = Pages3(Mutex::default());
        let all: Vec<i32> = run(
            item_stream::<_, i32>(&client, Request::get("https://h/svc/N"))
                .map(Result::unwrap)
                .collect(),
        );
        assert_eq!(all, [1, 2, 3, 4, 5]);
        assert_eq!(
            *client.0.lock().unwrap(),
            [
                "https://h/svc/N",
                "https://h/svc/N?$skiptoken=2",
                "https://h/svc/N?$skiptoken=4"
            ]
        );

        // Three items need two pages: the third page is never requested.
        let client = Pages3(Mutex::default());
        let first: Vec<i32> = run(
            item_stream::<_, i32>(&client, Request::get("https://h/svc/N"))
                .take(3)
                .map(Result::unwrap)
                .collect(),
        );
        assert_eq!(first, [1, 2, 3]);
        assert_eq!(client.0.lock().unwrap().len(), 2);
    }

    #[test]
    fn pages_and_errors() {
        let client = Pages3(Mutex::default());
        let pages: Vec<Page<i32>> = run(page_stream(&client, Request::get("https://h/svc/N"))
            .map(Result::unwrap)
            .collect());
        assert_eq!(pages.len(), 3);
        assert_eq!(pages[2].value, [5]);

        // An error is yielded once, then the stream ends.
        let client = Pages3(Mutex::new(vec!["earlier".into(); 3]));
        let results: Vec<Result<Page<i32>, Error>> =
            run(page_stream(&client, Request::get("https://h/svc/N")).collect());
        assert_eq!(results.len(), 1);
        assert_eq!(results[0].as_ref().unwrap_err().status(), Some(500));
    }
}
