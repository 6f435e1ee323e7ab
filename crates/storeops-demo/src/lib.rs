//! storeops demo store generator: a deterministic synthetic store with planted data problems. Pure.
//!
//! [`generate`] builds two years of history for a mid-sized online store
//! (catalog, customers, orders, inventory with its ledger, shipments, returns,
//! tickets, knowledge documents) from a seed and a day. Unless the store is
//! asked to be clean, it plants a few instances of every data-readiness
//! problem and lists them in [`Planted`], the ground truth the readiness audit
//! must find. The same options always give the same store: only seeded
//! randomness is used, and the clock is never read.

mod calendar;
mod catalog;
mod category;
mod customers;
mod demand;
mod inventory;
mod knowledge;
mod orders;
mod plant_catalog;
mod plant_docs;
mod plant_people;
mod plant_stock;
mod planted;
mod random;
mod returns;
mod shipments;
mod tickets;
mod words;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use storeops_domain::{
    Currency, Customer, InventoryRecord, KnowledgeDoc, Order, Product, Record, ReturnRequest,
    Shipment, Ticket,
};

pub use planted::{Planted, PlantedProblem, CHECK_IDS};

use calendar::Span;
use random::Dice;

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoOptions {
    /// Seed of every random choice.
    pub seed: u64,
    /// The day the store is generated for; history ends the day before.
    pub today: NaiveDate,
    /// Generate without planted problems.
    pub clean: bool,
    /// Size factor: 1.0 is the full store (≈500 products, ≈56,000 orders);
    /// products, customers, orders and tickets scale with it.
    pub scale: f64,
}

impl DemoOptions {
    /// A full-size store with planted problems.
    pub fn new(seed: u64, today: NaiveDate) -> Self {
        DemoOptions {
            seed,
            today,
            clean: false,
            scale: 1.0,
        }
    }
}

/// A generated store.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoStore {
    /// Store currency (USD).
    pub currency: Currency,
    /// Stock locations.
    pub locations: Vec<String>,
    /// Products with variants.
    pub products: Vec<Product>,
    /// Customers.
    pub customers: Vec<Customer>,
    /// Orders, named `#1001`… in time order.
    pub orders: Vec<Order>,
    /// Inventory levels, then ledger entries.
    pub inventory: Vec<InventoryRecord>,
    /// Shipments.
    pub shipments: Vec<Shipment>,
    /// Return requests.
    pub returns: Vec<ReturnRequest>,
    /// Support tickets.
    pub tickets: Vec<Ticket>,
    /// Knowledge documents (every version).
    pub docs: Vec<KnowledgeDoc>,
    /// Ground truth of the planted problems (empty for a clean store).
    pub planted: Planted,
}

impl DemoStore {
    /// Every record of the store, as the import pipeline would hand them over.
    pub fn records(&self) -> Vec<Record> {
        let mut out = Vec::new();
        out.extend(self.products.iter().cloned().map(Record::Product));
        out.extend(self.customers.iter().cloned().map(Record::Customer));
        out.extend(self.orders.iter().cloned().map(Record::Order));
        out.extend(self.inventory.iter().cloned().map(Record::Inventory));
        out.extend(self.shipments.iter().cloned().map(Record::Shipment));
        out.extend(self.returns.iter().cloned().map(Record::Return));
        out.extend(self.tickets.iter().cloned().map(Record::Ticket));
        out.extend(self.docs.iter().cloned().map(Record::Doc));
        out
    }

    /// Number of order lines across all orders.
    pub fn order_lines(&self) -> usize {
        self.orders.iter().map(|o| o.lines.len()).sum()
    }
}

/// `full × scale`, rounded, but at least `min`.
fn sized(full: f64, scale: f64, min: usize) -> usize {
    ((full * scale).round() as usize).max(min)
}

/// Generates the store described by `opts`.
pub fn generate(opts: &DemoOptions) -> DemoStore {
    let seed = opts.seed;
    let scale = if opts.scale.is_finite() && opts.scale > 0.0 {
        opts.scale
    } else {
        1.0
    };
    let span = Span::new(opts.today);
    let plant = !opts.clean;
    let mut log = planted::Log::default();

    let mut products = catalog::generate(&mut Dice::new(seed, "catalog"), sized(500.0, scale, 25));
    if plant {
        plant_catalog::plant(
            &mut Dice::new(seed, "plant-catalog"),
            &mut products,
            &mut log,
        );
    }
    let mut customers = customers::generate(
        &mut Dice::new(seed, "customers"),
        sized(12_000.0, scale, 150),
    );
    let mut seen = BTreeSet::new();
    let skus: Vec<String> = products
        .iter()
        .flat_map(|p| p.variants.iter().filter_map(|v| v.sku.clone()))
        .filter(|sku| seen.insert(sku.clone()))
        .collect();
    let downtown: BTreeSet<String> = {
        let mut dice = Dice::new(seed, "locations");
        skus.iter().filter(|_| dice.chance(0.3)).cloned().collect()
    };

    let promotions = demand::promotions(&span);
    let mut items = demand::sellable(&mut Dice::new(seed, "demand"), &products);
    demand::calibrate(&mut items, &span, &promotions, 56_000.0 * scale * 1.8);
    let order_inputs = orders::Inputs {
        span,
        items: &items,
        customers: &customers,
        promotions: &promotions,
    };
    let mut placed = orders::generate(&mut Dice::new(seed, "orders"), &order_inputs);
    let shipments = shipments::generate(&mut Dice::new(seed, "shipments"), &span, &placed);
    let sku_info: BTreeMap<String, returns::SkuInfo> = products
        .iter()
        .flat_map(|p| {
            let info = returns::SkuInfo {
                sized: p.option_names.first().is_some_and(|o| o == "Size") && !p.regulated,
                regulated: p.regulated,
            };
            p.variants
                .iter()
                .filter_map(move |v| v.sku.clone().map(|s| (s, info)))
        })
        .collect();
    let returns = returns::generate(
        &mut Dice::new(seed, "returns"),
        &span,
        &mut placed,
        &shipments,
        &sku_info,
    );

    let unrecorded = if plant {
        plant_stock::unrecorded_returns(&mut Dice::new(seed, "plant-returns"), &returns, &mut log)
    } else {
        BTreeSet::new()
    };
    let stock_inputs = inventory::Inputs {
        span,
        skus: &skus,
        downtown: &downtown,
        orders: &placed,
        returns: &returns,
        unrecorded_returns: &unrecorded,
    };
    let (mut levels, mut ledger) =
        inventory::generate(&mut Dice::new(seed, "inventory"), &stock_inputs);
    if plant {
        plant_stock::plant(
            &mut Dice::new(seed, "plant-stock"),
            &span,
            &mut levels,
            &mut ledger,
            &mut log,
        );
    }

    let ticket_inputs = tickets::Inputs {
        span,
        customers: &customers,
        orders: &placed,
        shipments: &shipments,
        returns: &returns,
    };
    let mut tickets = tickets::generate(
        &mut Dice::new(seed, "tickets"),
        &ticket_inputs,
        sized(3_000.0, scale, 40),
    );
    let mut docs = knowledge::generate(opts.today, &products);
    if plant {
        let mut dice = Dice::new(seed, "plant-people");
        plant_people::orders_without_customer(&mut dice, &mut placed, &returns, &tickets, &mut log);
        plant_people::unlinked_tickets(&mut dice, &span, &mut tickets, placed.len(), &mut log);
        plant_people::duplicate_customers(&mut dice, &mut customers, &mut log);
        plant_docs::plant(
            &mut Dice::new(seed, "plant-docs"),
            opts.today,
            &mut docs,
            &mut log,
        );
    }

    let mut inventory: Vec<InventoryRecord> =
        levels.into_iter().map(InventoryRecord::Level).collect();
    inventory.extend(ledger.into_iter().map(InventoryRecord::Adjustment));
    DemoStore {
        currency: Currency::USD,
        locations: vec![inventory::MAIN.to_string(), inventory::DOWNTOWN.to_string()],
        products,
        customers,
        orders: placed.into_iter().map(|p| p.order).collect(),
        inventory,
        shipments,
        returns,
        tickets,
        docs,
        planted: Planted {
            seed,
            today: opts.today,
            problems: log.finish(),
        },
    }
}
