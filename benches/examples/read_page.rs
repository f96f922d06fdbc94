//! Reads (or writes) the benchmark's page `N` times, for profilers that count instructions:
//! `cargo build --release -p odata-benches --example read_page`, then
//! `valgrind --tool=callgrind target/release/examples/read_page generated 1`. Ways: `generated`,
//! `value`, `derive`, `write-generated`; `dump` writes the page to stdout.

use odata_benches::{derive, page, read_generated, write_generated};
use serde_json::Value;

fn main() {
    let mut args = std::env::args().skip(1);
    let way = args.next().unwrap_or_else(|| "generated".into());
    let n: usize = args.next().map_or(1, |n| n.parse().expect("a count"));
    let bytes = page::page_bytes();
    if way == "dump" {
        use std::io::Write;
        std::io::stdout().write_all(&bytes).unwrap();
        return;
    }
    let mut sizes = 0;
    for _ in 0..n {
        sizes += match way.as_str() {
            "generated" => read_generated(&bytes).value.len(),
            "value" => serde_json::from_slice::<Value>(&bytes)
                .map(|v| v["value"].as_array().map_or(0, Vec::len))
                .unwrap(),
            "derive" => serde_json::from_slice::<derive::Page<derive::User>>(&bytes)
                .unwrap()
                .value
                .len(),
            "write-generated" => {
                let page = read_generated(&bytes);
                write_generated(&page).len()
            }
            other => panic!("unknown way `{other}`"),
        };
    }
    println!("{} bytes, {sizes}", bytes.len());
}
