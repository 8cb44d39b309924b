//! Whom a call to the backends acts for.

/// Whom a call to the backends acts for. The seed's messages carry a `user_id`, and an empty
/// one used to mean "anyone"; here it never does. A call acts for a buyer (a non-empty
/// `user_id`: they see and change only their own records) or, marked with [`Caller::METADATA`]
/// = [`Caller::PAYMENT_SERVICE`], for the payment service acting on its own record (the
/// gateway's webhook path); a call that names neither is refused. The mark travels as gRPC
/// metadata, so the seed's messages are unchanged and backends built for the seed still plug in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    Buyer(String),
    PaymentService,
}

impl Caller {
    /// The gRPC metadata entry that marks a call made for the payment service.
    pub const METADATA: &'static str = "x-usher-caller";
    pub const PAYMENT_SERVICE: &'static str = "payment-service";

    /// The caller of a request whose message says `user_id` and whose metadata mark is `mark`;
    /// `None` when it names nobody.
    pub fn of(user_id: &str, mark: Option<&str>) -> Option<Self> {
        match (user_id, mark) {
            ("", Some(Self::PAYMENT_SERVICE)) => Some(Self::PaymentService),
            ("", _) => None,
            (user, _) => Some(Self::Buyer(user.to_owned())),
        }
    }

    /// The `user_id` to put in a request message (empty for the payment service).
    pub fn user_id(&self) -> &str {
        match self {
            Self::Buyer(id) => id,
            Self::PaymentService => "",
        }
    }

    /// Whether this caller may see or act on a record that belongs to `owner`.
    pub fn may_act_on(&self, owner: &str) -> bool {
        match self {
            Self::Buyer(id) => id == owner,
            Self::PaymentService => true,
        }
    }
}
