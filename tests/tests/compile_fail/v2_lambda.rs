// OData V2 has no lambda operators: a V2 collection has no `any`.
use golden_v2_association::golden_v2::{Customer, Order};

fn main() {
    let _ = Customer::ORDERS.any(|o| o.then(Order::NUMBER).eq(1));
}
