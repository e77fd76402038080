//! Item categories of a travel platform's cart.

use serde::{Deserialize, Serialize};

/// What an item of a quote sells (docs/pricing.md). Serialized in upper case (`"FLIGHT"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Category {
    /// Scheduled flights, priced per passenger type from a fare.
    Flight,
    /// Hotel room-nights.
    Hotel,
    /// Holiday and Hajj/Umrah packages.
    Package,
    /// Guided tours.
    Tour,
    /// Activities and tickets.
    Activity,
    /// Ground transport and transfers.
    Transportation,
    /// Car rental.
    CarRental,
    /// Private-jet charter.
    PrivateJet,
    /// Ancillary services (visa processing, meals, insurance …).
    Service,
    /// Membership subscriptions.
    Membership,
}
