//! Proptest generators of the Shopify CSV kinds (trimmed text, the fields
//! Shopify's layouts carry) and the shared primitives; `gen_jsonl.rs` holds
//! the JSONL-only kinds.
// Test support: each test binary uses part of it, and panics are its way
// of failing a test.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, NaiveDate, Utc};
use proptest::collection::{btree_map, vec};
use proptest::option::of;
use proptest::prelude::*;
use storeops_domain::*;

/// Text as a CSV cell reads back: trimmed, no leading apostrophe; may hold
/// commas, quotes, newlines and non-ASCII letters.
pub fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 ,\"\n<>/.é€-]{0,12}".prop_map(|s| s.trim().to_string())
}

pub fn word() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9][a-zA-Z0-9 ,\"./é-]{0,10}".prop_map(|s| s.trim().to_string())
}

pub fn tag() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9][a-zA-Z0-9 é-]{0,8}".prop_map(|s| s.trim().to_string())
}

/// Any printable text, for JSONL.
pub fn any_text() -> impl Strategy<Value = String> {
    "\\PC{0,12}"
}

pub fn key() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9#-][a-zA-Z0-9#_ -]{0,10}".prop_map(|s| s.trim().to_string())
}

pub fn time() -> impl Strategy<Value = DateTime<Utc>> {
    (
        0i64..4_000_000_000,
        prop_oneof![Just(0u32), 0u32..1_000_000_000],
    )
        .prop_map(|(s, n)| DateTime::from_timestamp(s, n).unwrap())
}

pub fn day() -> impl Strategy<Value = NaiveDate> {
    (0i64..40_000)
        .prop_map(|d| NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + chrono::Days::new(d as u64))
}

pub fn currency() -> impl Strategy<Value = Currency> {
    prop_oneof![Just("USD"), Just("EUR"), Just("JPY"), Just("KWD")]
        .prop_map(|c| Currency::parse(c).unwrap())
}

pub fn money(currency: Currency) -> impl Strategy<Value = Money> {
    (0i64..1_000_000_000).prop_map(move |m| Money::new(m, currency))
}

pub fn label<T: Copy + std::fmt::Debug + 'static>(all: &'static [T]) -> impl Strategy<Value = T> {
    proptest::sample::select(all)
}

pub fn regulated(p: &Product) -> bool {
    p.attributes
        .get("custom.regulated")
        .is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "true" | "yes" | "y" | "1"))
        || p.tags.iter().any(|t| t.eq_ignore_ascii_case("regulated"))
}

fn variant(currency: Currency) -> impl Strategy<Value = Variant> {
    let m = || of(money(currency));
    (
        (of(key()), vec(word(), 0..=3), m(), m(), m()),
        (
            of("[0-9]{8,14}"),
            of(0i64..1_000_000),
            of(-1_000_000i64..1_000_000),
            any::<bool>(),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (sku, option_values, price, compare_at_price, cost),
                (gtin, grams, inventory_qty, requires_shipping, taxable),
            )| Variant {
                sku,
                option_values,
                price,
                compare_at_price,
                cost,
                gtin,
                grams,
                inventory_qty,
                requires_shipping,
                taxable,
            },
        )
}

fn image() -> impl Strategy<Value = Image> {
    (
        "https://cdn\\.example\\.com/[a-z0-9]{1,8}\\.jpg",
        1u32..100,
        text(),
    )
        .prop_map(|(src, position, alt)| Image { src, position, alt })
}

/// A product as Shopify CSV can carry it (regulated derived from tags and
/// attributes, up to three options).
pub fn csv_product() -> impl Strategy<Value = Product> {
    product_in(Currency::USD)
}

/// A product priced in `cur`.
fn product_in(cur: Currency) -> impl Strategy<Value = Product> {
    {
        (
            (key(), text(), text(), text(), text(), text()),
            (
                vec(tag(), 0..4),
                label(ProductStatus::ALL),
                any::<bool>(),
                vec(word(), 0..=3),
            ),
            btree_map(
                "(custom|ns)\\.[a-z]{1,6}",
                word().prop_filter("non-empty", |s| !s.is_empty()),
                0..3,
            ),
            vec(image(), 0..4),
            vec(variant(cur), 0..4),
        )
            .prop_map(
                |(
                    (handle, title, description_html, vendor, product_type, category),
                    (tags, status, published, option_names),
                    attributes,
                    images,
                    variants,
                )| {
                    let mut p = Product {
                        handle,
                        title,
                        description_html,
                        vendor,
                        product_type,
                        category,
                        tags,
                        status,
                        published,
                        regulated: false,
                        option_names,
                        attributes,
                        images,
                        variants,
                    };
                    p.regulated = regulated(&p);
                    p
                },
            )
    }
}

/// Any product for JSONL (one currency per product).
pub fn any_product() -> impl Strategy<Value = Product> {
    (
        currency().prop_flat_map(product_in),
        any::<bool>(),
        vec(any_text(), 0..3),
        any_text(),
    )
        .prop_map(|(mut p, regulated, tags, title)| {
            p.regulated = regulated;
            p.tags = tags;
            p.title = title;
            p
        })
}

fn address() -> impl Strategy<Value = Address> {
    (
        text(),
        text(),
        text(),
        text(),
        text(),
        text(),
        text(),
        text(),
        text(),
    )
        .prop_map(
            |(name, company, address1, address2, city, province_code, country_code, zip, phone)| {
                Address {
                    name,
                    company,
                    address1,
                    address2,
                    city,
                    province_code,
                    country_code,
                    zip,
                    phone,
                }
            },
        )
}

fn line(currency: Currency) -> impl Strategy<Value = OrderLine> {
    (
        (
            of(key()),
            text(),
            1i64..1000,
            money(currency),
            of(money(currency)),
            money(currency),
        ),
        (
            any::<bool>(),
            any::<bool>(),
            label(FulfillmentStatus::ALL),
            text(),
        ),
    )
        .prop_map(
            |(
                (sku, name, quantity, price, compare_at_price, discount),
                (requires_shipping, taxable, fulfillment_status, vendor),
            )| OrderLine {
                sku,
                name,
                quantity,
                price,
                compare_at_price,
                discount,
                requires_shipping,
                taxable,
                fulfillment_status,
                vendor,
            },
        )
}

/// An order as Shopify CSV can carry it.
pub fn csv_order() -> impl Strategy<Value = Order> {
    currency().prop_flat_map(|cur| {
        (
            (
                "#[0-9]{1,6}",
                of("[0-9]{1,10}"),
                of("[0-9]{1,10}"),
                of(word()),
                of(word()),
                time(),
                of(time()),
            ),
            (
                label(FinancialStatus::ALL),
                label(FulfillmentStatus::ALL),
                money(cur),
                money(cur),
                money(cur),
                money(cur),
                of(word()),
                money(cur),
            ),
            (address(), address(), text(), vec(tag(), 0..3), text()),
            vec(line(cur), 0..4),
        )
            .prop_map(
                move |(
                    (
                        name,
                        external_id,
                        customer_external_id,
                        email,
                        phone,
                        created_at,
                        cancelled_at,
                    ),
                    (
                        financial_status,
                        fulfillment_status,
                        subtotal,
                        shipping,
                        taxes,
                        discount,
                        discount_code,
                        total,
                    ),
                    (shipping_address, billing_address, source, tags, note),
                    lines,
                )| Order {
                    name,
                    external_id,
                    customer_external_id,
                    email: email.filter(|e| !e.is_empty()),
                    phone: phone.filter(|p| !p.is_empty()),
                    created_at,
                    cancelled_at,
                    currency: cur,
                    financial_status,
                    fulfillment_status,
                    subtotal,
                    shipping,
                    taxes,
                    discount,
                    discount_code: discount_code.filter(|d| !d.is_empty()),
                    total,
                    shipping_address,
                    billing_address,
                    source,
                    tags,
                    note,
                    lines,
                },
            )
    })
}

/// A customer as Shopify CSV can carry it (no extra identities, no address
/// name; an e-mail or a platform id).
pub fn csv_customer() -> impl Strategy<Value = Customer> {
    (
        (
            of("[0-9]{1,10}"),
            text(),
            text(),
            of("[a-z0-9.]{1,8}@example\\.com"),
            of("\\+?[0-9 ]{1,12}"),
        ),
        (
            any::<bool>(),
            text(),
            address(),
            vec(tag(), 0..3),
            text(),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (external_id, first_name, last_name, email, phone),
                (accepts_marketing, source, mut default_address, tags, note, tax_exempt),
            )| {
                default_address.name = String::new();
                let email = if external_id.is_none() && email.is_none() {
                    Some("x@example.com".to_string())
                } else {
                    email
                };
                Customer {
                    external_id,
                    first_name,
                    last_name,
                    email,
                    phone: phone
                        .map(|p| p.trim().to_string())
                        .filter(|p| !p.is_empty()),
                    accepts_marketing,
                    source,
                    default_address,
                    tags,
                    note,
                    tax_exempt,
                    identities: Vec::new(),
                }
            },
        )
}

/// Any customer for JSONL.
pub fn any_customer() -> impl Strategy<Value = Customer> {
    (
        csv_customer(),
        vec((label(IdentityKind::ALL), any_text()), 0..3),
        any_text(),
    )
        .prop_map(|(mut c, ids, name)| {
            c.identities = ids
                .into_iter()
                .map(|(kind, value)| Identity { kind, value })
                .collect();
            c.default_address.name = name;
            c
        })
}

pub fn level() -> impl Strategy<Value = InventoryLevel> {
    (
        key(),
        word().prop_filter("non-empty", |s| !s.is_empty()),
        -1_000_000i64..1_000_000,
        -1000i64..1000,
        -1_000_000i64..1_000_000,
        0i64..10_000,
        of(time()),
    )
        .prop_map(
            |(sku, location, on_hand, committed, available, incoming, counted_at)| InventoryLevel {
                sku,
                location,
                on_hand,
                committed,
                available,
                incoming,
                counted_at,
            },
        )
}

/// Gives every record a distinct key, so no two groups share a handle or
/// order name.
pub fn distinct_products(mut products: Vec<Product>) -> Vec<Product> {
    for (i, p) in products.iter_mut().enumerate() {
        p.handle = format!("{}-{i}", p.handle);
    }
    products
}

pub fn distinct_orders(mut orders: Vec<Order>) -> Vec<Order> {
    for (i, o) in orders.iter_mut().enumerate() {
        o.name = format!("{}-{i}", o.name);
    }
    orders
}
