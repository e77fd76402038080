//! Which lines of a cart a rule applies to.

use crate::Category;
use serde::{Deserialize, Serialize};

/// The lines an offer or a voucher applies to (`applies_to` in JSON):
/// `{"scope": "ALL"}`, `{"scope": "CATEGORIES", "categories": ["HOTEL"]}` or
/// `{"scope": "ITEMS", "item_ids": ["HTL-1"]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "scope",
    rename_all = "SCREAMING_SNAKE_CASE",
    deny_unknown_fields
)]
pub enum Scope {
    /// Every item line.
    #[default]
    All,
    /// Lines whose item has one of these categories.
    Categories {
        /// The categories.
        categories: Vec<Category>,
    },
    /// Lines of these item ids.
    Items {
        /// The request's item ids.
        item_ids: Vec<String>,
    },
}

impl Scope {
    /// Whether a line of `category` from item `item_id` is in scope.
    pub fn covers(&self, category: Category, item_id: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Categories { categories } => categories.contains(&category),
            Scope::Items { item_ids } => item_ids.iter().any(|i| i == item_id),
        }
    }

    /// Entries in the scope's list (for size limits).
    pub fn len(&self) -> usize {
        match self {
            Scope::All => 0,
            Scope::Categories { categories } => categories.len(),
            Scope::Items { item_ids } => item_ids.len(),
        }
    }

    /// Whether the scope's list is empty (always true for [`Scope::All`]).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
