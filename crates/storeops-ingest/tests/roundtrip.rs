//! Property tests: what the writers produce, the readers accept back as the
//! same records (CSV for the Shopify kinds, JSONL for every kind).

mod common;

#[path = "common/gen.rs"]
mod gen;
#[path = "common/gen_jsonl.rs"]
mod gen_jsonl;

use common::*;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use storeops_domain::{InventoryRecord, Record, RecordKind};
use storeops_ingest::{
    write_csv, write_jsonl, CsvWriter, Format, IngestError, JsonlWriter, Parsed,
};

fn csv_round_trip(kind: RecordKind, records: Vec<Record>) -> Result<(), TestCaseError> {
    let mut out = Vec::new();
    write_csv(kind, &records, &mut out).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let items = read_all(kind, Format::ShopifyCsv, out.clone());
    let rejected: Vec<_> = items
        .iter()
        .filter(|p| matches!(p, Parsed::Rejected(_)))
        .collect();
    prop_assert!(
        rejected.is_empty(),
        "{rejected:?}\n{}",
        String::from_utf8_lossy(&out)
    );
    let back: Vec<Record> = records_of(&items);
    prop_assert_eq!(back, records, "{}", String::from_utf8_lossy(&out));
    Ok(())
}

fn records_of(items: &[Parsed]) -> Vec<Record> {
    records(items).into_iter().map(|(_, r)| r).collect()
}

fn jsonl_round_trip(kind: RecordKind, records: Vec<Record>) -> Result<(), TestCaseError> {
    let mut out = Vec::new();
    write_jsonl(&records, &mut out).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let items = read_all(kind, Format::Jsonl, out.clone());
    let back = records_of(&items);
    prop_assert_eq!(back, records, "{}", String::from_utf8_lossy(&out));
    let lines: Vec<u64> = common::records(&items)
        .into_iter()
        .map(|(l, _)| l)
        .collect();
    prop_assert_eq!(lines, (1..=items.len() as u64).collect::<Vec<_>>());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn products_csv_round_trip(products in vec(gen::csv_product(), 0..6)) {
        let records = gen::distinct_products(products).into_iter().map(Record::Product).collect();
        csv_round_trip(RecordKind::Products, records)?;
    }

    #[test]
    fn orders_csv_round_trip(orders in vec(gen::csv_order(), 0..6)) {
        let records = gen::distinct_orders(orders).into_iter().map(Record::Order).collect();
        csv_round_trip(RecordKind::Orders, records)?;
    }

    #[test]
    fn customers_csv_round_trip(customers in vec(gen::csv_customer(), 0..6)) {
        csv_round_trip(RecordKind::Customers, customers.into_iter().map(Record::Customer).collect())?;
    }

    #[test]
    fn levels_csv_round_trip(levels in vec(gen::level(), 0..6)) {
        let records = levels.into_iter().map(|l| Record::Inventory(InventoryRecord::Level(l))).collect();
        csv_round_trip(RecordKind::Inventory, records)?;
    }

    #[test]
    fn products_jsonl_round_trip(products in vec(gen::any_product(), 0..5)) {
        jsonl_round_trip(RecordKind::Products, products.into_iter().map(Record::Product).collect())?;
    }

    #[test]
    fn orders_jsonl_round_trip(orders in vec(gen::csv_order(), 0..5)) {
        jsonl_round_trip(RecordKind::Orders, orders.into_iter().map(Record::Order).collect())?;
    }

    #[test]
    fn customers_jsonl_round_trip(customers in vec(gen::any_customer(), 0..5)) {
        jsonl_round_trip(RecordKind::Customers, customers.into_iter().map(Record::Customer).collect())?;
    }

    #[test]
    fn inventory_jsonl_round_trip(levels in vec(gen::level(), 0..4), adjustments in vec(gen_jsonl::adjustment(), 0..4)) {
        let records = levels
            .into_iter()
            .map(InventoryRecord::Level)
            .chain(adjustments.into_iter().map(InventoryRecord::Adjustment))
            .map(Record::Inventory)
            .collect();
        jsonl_round_trip(RecordKind::Inventory, records)?;
    }

    #[test]
    fn shipments_jsonl_round_trip(shipments in vec(gen_jsonl::shipment(), 0..5)) {
        jsonl_round_trip(RecordKind::Shipments, shipments.into_iter().map(Record::Shipment).collect())?;
    }

    #[test]
    fn returns_jsonl_round_trip(returns in vec(gen_jsonl::return_request(), 0..5)) {
        jsonl_round_trip(RecordKind::Returns, returns.into_iter().map(Record::Return).collect())?;
    }

    #[test]
    fn tickets_jsonl_round_trip(tickets in vec(gen_jsonl::ticket(), 0..5)) {
        jsonl_round_trip(RecordKind::Tickets, tickets.into_iter().map(Record::Ticket).collect())?;
    }

    #[test]
    fn docs_jsonl_round_trip(docs in vec(gen_jsonl::doc(), 0..5)) {
        jsonl_round_trip(RecordKind::Docs, docs.into_iter().map(Record::Doc).collect())?;
    }
}

#[test]
fn streaming_writers_match_the_slice_writers() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let orders = vec(gen::csv_order(), 3..4)
        .new_tree(&mut runner)
        .unwrap()
        .current();
    let records: Vec<Record> = gen::distinct_orders(orders)
        .into_iter()
        .map(Record::Order)
        .collect();
    let mut whole = Vec::new();
    write_csv(RecordKind::Orders, &records, &mut whole).unwrap();
    let mut writer = CsvWriter::new(RecordKind::Orders, Vec::new()).unwrap();
    for r in &records {
        writer.write(r).unwrap();
    }
    assert_eq!(writer.finish().unwrap(), whole);
    let mut whole = Vec::new();
    write_jsonl(&records, &mut whole).unwrap();
    let mut writer = JsonlWriter::new(Vec::new());
    for r in &records {
        writer.write(r).unwrap();
    }
    assert_eq!(writer.finish().unwrap(), whole);
    assert_eq!(whole.iter().filter(|&&b| b == b'\n').count(), 3);
}

#[test]
fn writers_refuse_what_the_format_cannot_hold() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let adjustment = gen_jsonl::adjustment()
        .new_tree(&mut runner)
        .unwrap()
        .current();
    let id = adjustment.id.clone();
    let err = write_csv(
        RecordKind::Inventory,
        &[Record::Inventory(InventoryRecord::Adjustment(adjustment))],
        Vec::new(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("cannot write inventory adjustment `{id}` (only levels have a CSV layout) as shopify-csv")
    );
    let doc = gen_jsonl::doc().new_tree(&mut runner).unwrap().current();
    let err = write_csv(RecordKind::Docs, &[Record::Doc(doc.clone())], Vec::new()).unwrap_err();
    assert!(matches!(
        err,
        IngestError::Unsupported {
            kind: RecordKind::Docs,
            format: Format::ShopifyCsv
        }
    ));
    let err = write_csv(RecordKind::Orders, &[Record::Doc(doc)], Vec::new()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "expected a orders record, got a docs record"
    );
    let mut product = storeops_domain::Product::new("mug", "Mug");
    product.attributes.insert("ns.colour".into(), "red".into());
    let mut writer = CsvWriter::new(RecordKind::Products, Vec::new()).unwrap();
    let err = writer.write(&Record::Product(product.clone())).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot write product `mug`: attribute `ns.colour` has no metafield column as shopify-csv"
    );
    let mut writer =
        CsvWriter::with_attributes(RecordKind::Products, Vec::new(), &["ns.colour".to_string()])
            .unwrap();
    writer.write(&Record::Product(product)).unwrap();
    let text = String::from_utf8(writer.finish().unwrap()).unwrap();
    assert!(text.starts_with("Handle,Title,Body (HTML),"), "{text}");
    assert!(text.lines().next().unwrap().ends_with(
        ",Regulated (product.metafields.custom.regulated),ns.colour (product.metafields.ns.colour)"
    ));
}
