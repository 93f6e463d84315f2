//! The string enums of today's NTM store (claim, reservation, dispatch and clear states), with
//! their wire spellings; a spelling this version does not know is kept, never lost.

use std::fmt;

/// Declares a string enum of NTM's with its wire spellings; `""` reads as `None`, and a
/// spelling this version does not know is kept as `Other`.
macro_rules! wire_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vm])* #[doc = concat!("`", $text, "`")] $variant,)+
            /// A value this version does not know, kept as written.
            Other(String),
        }

        impl $name {
            /// Reads the wire form; `""` (Go's zero value) is `None`.
            #[must_use]
            pub fn parse(text: &str) -> Option<$name> {
                match text {
                    "" => None,
                    $($text => Some($name::$variant),)+
                    other => Some($name::Other(other.to_owned())),
                }
            }

            /// The wire form.
            #[must_use]
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)+
                    $name::Other(text) => text,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

wire_enum! {
    /// Where the external `br` claim stands.
    ClaimState { Pending = "pending", Claiming = "claiming", Claimed = "claimed",
        Failed = "failed", Ineligible = "ineligible", Unknown = "unknown" }
}

wire_enum! {
    /// Where the Agent Mail file reservation stands.
    ReservationState { Pending = "pending", Reserving = "reserving", Reserved = "reserved",
        Failed = "failed", Unknown = "unknown", Released = "released" }
}

wire_enum! {
    /// How far the prompt's delivery got: `sending` means the outcome is unknown.
    DispatchState { Pending = "pending", Sending = "sending", Sent = "sent" }
}

wire_enum! {
    /// The clear / terminal-reconciliation barrier.
    ClearState { ReservationReleasing = "reservation_releasing",
        LeasesReleased = "leases_released" }
}
