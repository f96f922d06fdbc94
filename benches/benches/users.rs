//! Reading and writing one page of 1,000 Microsoft Graph users (`GET /users?$expand=memberOf`,
//! every property, nested complex values, 3-5 polymorphic `memberOf` items each):
//! `cargo bench -p odata-benches --bench users`.
//!
//! Three ways side by side: the generated types of `graph-directory` (`Page<User>`, as a list
//! request reads it), `serde_json::Value`, and plain serde-derive structs of the same shape
//! (`odata_benches::derive`). Throughput is the page's size over the time, reading and writing.

use std::sync::LazyLock;

use divan::counter::BytesCount;
use divan::{Bencher, black_box};
use odata_benches::{derive, page, read_generated, write_generated};
use serde_json::Value;

fn main() {
    eprintln!("page: {} users, {} bytes of JSON", page::USERS, PAGE.len());
    divan::main();
}

static PAGE: LazyLock<Vec<u8>> = LazyLock::new(page::page_bytes);

fn bytes() -> BytesCount {
    BytesCount::new(PAGE.len())
}

mod read {
    use super::*;

    #[divan::bench]
    fn generated(b: Bencher) {
        b.counter(bytes())
            .bench(|| read_generated(black_box(&PAGE)));
    }

    #[divan::bench]
    fn value(b: Bencher) {
        b.counter(bytes())
            .bench(|| serde_json::from_slice::<Value>(black_box(&PAGE)).unwrap());
    }

    #[divan::bench]
    fn derive(b: Bencher) {
        b.counter(bytes()).bench(|| {
            serde_json::from_slice::<derive::Page<derive::User>>(black_box(&PAGE)).unwrap()
        });
    }
}

mod write {
    use super::*;

    #[divan::bench]
    fn generated(b: Bencher) {
        let page = read_generated(&PAGE);
        b.counter(bytes())
            .bench(|| write_generated(black_box(&page)));
    }

    #[divan::bench]
    fn value(b: Bencher) {
        let tree: Value = serde_json::from_slice(&PAGE).unwrap();
        b.counter(bytes())
            .bench(|| serde_json::to_vec(black_box(&tree)).unwrap());
    }

    #[divan::bench]
    fn derive(b: Bencher) {
        let plain: derive::Page<derive::User> = serde_json::from_slice(&PAGE).unwrap();
        b.counter(bytes())
            .bench(|| serde_json::to_vec(black_box(&plain)).unwrap());
    }
}
