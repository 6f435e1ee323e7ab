//! The demo store's product categories and what differs between them:
//! naming, options, prices, weights, regulation and yearly seasonality.

/// How a category's variants are split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OptionScheme {
    /// Size × Colour (apparel, outdoor clothing).
    SizeColour,
    /// Colour only.
    Colour,
    /// Pack size (batteries).
    Pack,
    /// Count × Flavour (supplements).
    CountFlavour,
    /// Shade (beauty).
    Shade,
}

/// One product category.
#[derive(Debug)]
pub(crate) struct Category {
    /// Short key, used as a tag.
    pub key: &'static str,
    /// Merchant product type.
    pub product_type: &'static str,
    /// Taxonomy path.
    pub path: &'static str,
    /// SKU prefix.
    pub prefix: &'static str,
    /// Relative share of products.
    pub share: f64,
    /// Product nouns.
    pub nouns: &'static [&'static str],
    /// Brands.
    pub vendors: &'static [&'static str],
    /// Price range in whole dollars.
    pub price: (i64, i64),
    /// Weight range in grams.
    pub grams: (i64, i64),
    /// Sale or return restricted.
    pub regulated: bool,
    /// Variant split.
    pub options: OptionScheme,
    /// Demand multiplier per calendar month (January first).
    pub months: [f64; 12],
    /// Selling points used in descriptions.
    pub features: &'static [&'static str],
}

/// All categories, in a fixed order.
pub(crate) const CATEGORIES: &[Category] = &[
    Category {
        key: "apparel",
        product_type: "Apparel",
        path: "Apparel & Accessories > Clothing",
        prefix: "APP",
        share: 26.0,
        nouns: &[
            "T-Shirt",
            "Hoodie",
            "Joggers",
            "Crew Sweater",
            "Rain Jacket",
            "Leggings",
            "Flannel Shirt",
            "Chinos",
            "Polo",
            "Puffer Vest",
        ],
        vendors: &["Northwind Apparel", "Loom & Thread", "Cascade Outfitters"],
        price: (19, 129),
        grams: (150, 900),
        regulated: false,
        options: OptionScheme::SizeColour,
        months: [
            0.85, 0.8, 0.9, 0.95, 1.0, 0.95, 0.9, 1.0, 1.05, 1.05, 1.3, 1.55,
        ],
        features: &[
            "Breathable organic cotton blend",
            "Relaxed fit that holds its shape",
            "Pre-shrunk and machine washable",
            "Reinforced seams",
        ],
    },
    Category {
        key: "electronics",
        product_type: "Electronics",
        path: "Electronics > Audio",
        prefix: "ELE",
        share: 11.0,
        nouns: &[
            "Wireless Earbuds",
            "Bluetooth Speaker",
            "Phone Charger",
            "USB-C Hub",
            "Smart Plug",
            "Desk Lamp",
            "Headphones",
            "Power Bank",
        ],
        vendors: &["Voltra", "Soundcraft Labs", "Brightline"],
        price: (15, 249),
        grams: (80, 1200),
        regulated: false,
        options: OptionScheme::Colour,
        months: [
            0.8, 0.75, 0.8, 0.85, 0.9, 0.9, 0.95, 1.0, 0.95, 1.0, 1.45, 1.75,
        ],
        features: &[
            "Up to 24 hours of battery life",
            "Fast USB-C charging",
            "Pairs in seconds",
            "Compact travel size",
        ],
    },
    Category {
        key: "batteries",
        product_type: "Batteries",
        path: "Electronics > Batteries",
        prefix: "BAT",
        share: 5.0,
        nouns: &[
            "AA Batteries",
            "AAA Batteries",
            "Rechargeable AA Batteries",
            "9V Batteries",
            "Coin Cell Batteries",
            "Lithium Camera Batteries",
        ],
        vendors: &["Voltra", "EverCharge"],
        price: (7, 39),
        grams: (50, 400),
        regulated: true,
        options: OptionScheme::Pack,
        months: [
            0.9, 0.85, 0.9, 0.9, 0.95, 1.0, 1.0, 1.0, 0.95, 1.0, 1.25, 1.6,
        ],
        features: &[
            "Long shelf life",
            "Leak-resistant design",
            "Reliable in high-drain devices",
        ],
    },
    Category {
        key: "supplements",
        product_type: "Supplements",
        path: "Health & Beauty > Vitamins & Supplements",
        prefix: "SUP",
        share: 8.0,
        nouns: &[
            "Vitamin D3",
            "Magnesium Glycinate",
            "Whey Protein",
            "Omega-3 Fish Oil",
            "Electrolyte Mix",
            "Multivitamin",
            "Collagen Peptides",
        ],
        vendors: &["Vital Roots", "PeakForm Nutrition"],
        price: (14, 59),
        grams: (120, 1100),
        regulated: true,
        options: OptionScheme::CountFlavour,
        months: [
            1.45, 1.2, 1.05, 1.0, 1.0, 0.95, 0.9, 0.9, 1.0, 0.95, 0.95, 0.9,
        ],
        features: &[
            "Third-party tested",
            "No artificial colours",
            "Made in a GMP-certified facility",
        ],
    },
    Category {
        key: "home",
        product_type: "Home",
        path: "Home & Garden > Decor",
        prefix: "HOM",
        share: 18.0,
        nouns: &[
            "Throw Blanket",
            "Ceramic Mug",
            "Scented Candle",
            "Linen Napkins",
            "Storage Basket",
            "Cutting Board",
            "Table Lamp",
            "Planter",
        ],
        vendors: &["Hearth & Home", "Driftwood Goods", "Maple Lane"],
        price: (12, 149),
        grams: (200, 3000),
        regulated: false,
        options: OptionScheme::Colour,
        months: [
            0.9, 0.85, 0.95, 1.0, 1.0, 0.9, 0.9, 0.95, 1.0, 1.05, 1.3, 1.5,
        ],
        features: &[
            "Handmade in small batches",
            "Designed to last for years",
            "Easy to care for",
        ],
    },
    Category {
        key: "outdoor",
        product_type: "Outdoor",
        path: "Sporting Goods > Outdoor Recreation",
        prefix: "OUT",
        share: 16.0,
        nouns: &[
            "Hiking Socks",
            "Trail Shorts",
            "Sun Hat",
            "Daypack",
            "Camp Chair",
            "Water Bottle",
            "Trekking Poles",
            "Rain Shell",
        ],
        vendors: &["Cascade Outfitters", "Ridgeback", "Trailhead Co."],
        price: (14, 229),
        grams: (80, 2500),
        regulated: false,
        options: OptionScheme::SizeColour,
        months: [
            0.6, 0.65, 0.85, 1.1, 1.35, 1.55, 1.6, 1.45, 1.1, 0.85, 0.85, 0.95,
        ],
        features: &[
            "Weather-resistant materials",
            "Packs down small",
            "Tested on the trail",
        ],
    },
    Category {
        key: "beauty",
        product_type: "Beauty",
        path: "Health & Beauty > Personal Care > Cosmetics",
        prefix: "BEA",
        share: 16.0,
        nouns: &[
            "Lip Balm",
            "Face Serum",
            "Tinted Moisturizer",
            "Hand Cream",
            "Body Wash",
            "Lipstick",
            "Clay Mask",
        ],
        vendors: &["Glow Theory", "Bloom Botanics"],
        price: (8, 64),
        grams: (30, 400),
        regulated: false,
        options: OptionScheme::Shade,
        months: [
            0.9, 1.05, 0.95, 0.95, 1.05, 0.95, 0.9, 0.9, 0.95, 1.0, 1.25, 1.5,
        ],
        features: &[
            "Cruelty-free and vegan",
            "Dermatologist tested",
            "Fragrance-free formula",
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_are_consistent() {
        assert_eq!(CATEGORIES.len(), 7);
        let regulated: Vec<&str> = CATEGORIES
            .iter()
            .filter(|c| c.regulated)
            .map(|c| c.key)
            .collect();
        assert_eq!(regulated, vec!["batteries", "supplements"]);
        for c in CATEGORIES {
            assert!(c.price.0 < c.price.1, "{}", c.key);
            assert!(!c.nouns.is_empty() && !c.vendors.is_empty());
        }
        let outdoor = &CATEGORIES[5];
        assert!(outdoor.months[6] > outdoor.months[11]);
    }
}
