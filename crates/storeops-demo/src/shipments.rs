//! Shipment generation: a parcel per shipped order with carrier tracking,
//! most delivered on time, some delayed, a few exceptions, recent ones still
//! on their way.

use chrono::{DateTime, TimeDelta, Utc};
use storeops_domain::{Shipment, ShipmentStatus, TrackingEvent};

use crate::calendar::{at, hours, Span};
use crate::orders::Placed;
use crate::random::Dice;
use crate::words::CITIES;

/// Location every parcel leaves from.
pub(crate) const WAREHOUSE: &str = "Main Warehouse";

/// Generates shipments for fulfilled orders that were not handed over in the store.
pub(crate) fn generate(dice: &mut Dice, span: &Span, orders: &[Placed]) -> Vec<Shipment> {
    orders
        .iter()
        .filter(|p| p.order.source != "pos")
        .filter_map(|p| p.fulfilled_at.map(|at| shipment(dice, span, p, at)))
        .collect()
}

fn tracking(dice: &mut Dice) -> (&'static str, String, String) {
    match dice.weighted(&[35.0, 35.0, 20.0, 10.0]) {
        0 => {
            let number = format!("1Z{}{}", dice.alnum(6), dice.digits(10));
            let url = format!("https://www.ups.com/track?tracknum={number}");
            ("UPS", number, url)
        }
        1 => {
            let number = format!("9400{}", dice.digits(18));
            let url = format!("https://tools.usps.com/go/TrackConfirmAction?tLabels={number}");
            ("USPS", number, url)
        }
        2 => {
            let number = dice.digits(12);
            let url = format!("https://www.fedex.com/fedextrack/?trknbr={number}");
            ("FedEx", number, url)
        }
        _ => {
            let number = dice.digits(10);
            let url = format!("https://www.dhl.com/us-en/home/tracking/tracking-express.html?submit=1&tracking-id={number}");
            ("DHL", number, url)
        }
    }
}

fn shipment(dice: &mut Dice, span: &Span, placed: &Placed, shipped_at: DateTime<Utc>) -> Shipment {
    let (carrier, tracking_number, tracking_url) = tracking(dice);
    let destination = if placed.order.shipping_address.city.is_empty() {
        CITIES[0].0.to_string()
    } else {
        format!(
            "{}, {}",
            placed.order.shipping_address.city, placed.order.shipping_address.province_code
        )
    };
    let promised_days = dice.range(2, 5);
    let estimated = at(
        shipped_at.date_naive() + TimeDelta::days(promised_days),
        20 * 3600,
    );
    let fate = dice.weighted(&[91.0, 7.0, 1.5, 0.5]);
    let transit_days = match fate {
        0 => dice.range(1, promised_days),
        1 => promised_days + dice.range(1, 4),
        _ => promised_days + dice.range(2, 5),
    };
    let delivery_day = shipped_at.date_naive() + TimeDelta::days(transit_days);
    let mut planned = vec![
        (
            shipped_at - hours(dice.uniform(0.5, 3.0)),
            ShipmentStatus::LabelCreated,
            "Shipping label created".to_string(),
            WAREHOUSE.to_string(),
        ),
        (
            shipped_at + hours(dice.uniform(2.0, 8.0)),
            ShipmentStatus::InTransit,
            "Departed carrier facility".to_string(),
            "Regional hub".to_string(),
        ),
    ];
    match fate {
        1 => planned.push((
            estimated + hours(2.0),
            ShipmentStatus::Delayed,
            "Delivery delayed: running later than expected".into(),
            "Regional hub".into(),
        )),
        2 => planned.push((
            estimated - hours(20.0),
            ShipmentStatus::Exception,
            "Delivery exception: address information needed".into(),
            destination.clone(),
        )),
        _ => {}
    }
    if fate == 3 {
        planned.push((
            estimated - hours(20.0),
            ShipmentStatus::Exception,
            "Delivery exception: recipient not available".into(),
            destination.clone(),
        ));
        planned.push((
            at(delivery_day, 10 * 3600),
            ShipmentStatus::ReturnedToSender,
            "Returned to sender".into(),
            destination.clone(),
        ));
    } else {
        planned.push((
            at(delivery_day, 8 * 3600) + hours(dice.uniform(0.0, 2.0)),
            ShipmentStatus::OutForDelivery,
            "Out for delivery".into(),
            destination.clone(),
        ));
        planned.push((
            at(delivery_day, 11 * 3600) + hours(dice.uniform(0.0, 8.0)),
            ShipmentStatus::Delivered,
            "Delivered, front door".into(),
            destination.clone(),
        ));
    }
    planned.sort_by_key(|e| e.0);
    let now = span.now();
    let events: Vec<TrackingEvent> = planned
        .into_iter()
        .filter(|e| e.0 < now)
        .map(|(at, status, message, location)| TrackingEvent {
            at,
            status,
            message,
            location,
        })
        .collect();
    let status = events
        .last()
        .map(|e| e.status)
        .unwrap_or(ShipmentStatus::LabelCreated);
    let delivered_at = events
        .iter()
        .find(|e| e.status == ShipmentStatus::Delivered)
        .map(|e| e.at);
    Shipment {
        id: format!("ful-{}", placed.order.name.trim_start_matches('#')),
        order_name: placed.order.name.clone(),
        carrier: carrier.to_string(),
        tracking_number,
        tracking_url,
        status,
        origin_location: WAREHOUSE.to_string(),
        shipped_at: Some(shipped_at),
        estimated_delivery_at: Some(estimated),
        delivered_at,
        events,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_numbers_look_like_the_carriers() {
        let mut dice = Dice::new(4, "tracking");
        for _ in 0..100 {
            let (carrier, number, url) = tracking(&mut dice);
            assert!(url.ends_with(&number));
            match carrier {
                "UPS" => assert!(number.starts_with("1Z") && number.len() == 18),
                "USPS" => assert_eq!(number.len(), 22),
                "FedEx" => assert_eq!(number.len(), 12),
                _ => assert_eq!((carrier, number.len()), ("DHL", 10)),
            }
        }
    }
}
