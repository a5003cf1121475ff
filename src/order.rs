//! Ordering keys: types whose order is one hand-written [`Ord::cmp`] (a heap entry, a ranking
//! key, a distance as a map key) get `PartialEq`, `Eq` and `PartialOrd` from it with
//! [`order_from_cmp!`], so equality and the partial order can never disagree with the order.
//!
//! The standard library derives these traits field by field, which is not the order these keys
//! need (an `f64` compared with [`f64::total_cmp`], a field left out, a reversed field); no
//! well-kept crate derives them from a hand-written `cmp`, hence this macro.

/// Implements `PartialEq`, `Eq` and `PartialOrd` for a type from its [`Ord`] implementation:
/// `a == b` exactly when `a.cmp(&b)` is `Equal`, and `partial_cmp` is `Some(cmp)`.
///
/// For example (the macro is internal to the crate; `order::tests` runs the same):
///
/// ```text
/// struct Metres(f64);
/// impl Ord for Metres {
///     fn cmp(&self, other: &Self) -> std::cmp::Ordering {
///         self.0.total_cmp(&other.0)
///     }
/// }
/// order_from_cmp!(Metres);
/// assert!(Metres(-0.0) < Metres(0.0) && Metres(1.0) == Metres(1.0));
/// ```
macro_rules! order_from_cmp {
    ($t:ty) => {
        impl PartialEq for $t {
            fn eq(&self, other: &Self) -> bool {
                Ord::cmp(self, other) == std::cmp::Ordering::Equal
            }
        }

        impl Eq for $t {}

        impl PartialOrd for $t {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(Ord::cmp(self, other))
            }
        }
    };
}

pub(crate) use order_from_cmp;

#[cfg(test)]
mod tests {
    use std::cmp::Ordering;

    /// A key ordered by a float (total order) and then, reversed, by an index.
    #[derive(Debug, Clone, Copy)]
    struct Key(f64, usize);

    impl Ord for Key {
        fn cmp(&self, other: &Self) -> Ordering {
            self.0.total_cmp(&other.0).then(other.1.cmp(&self.1))
        }
    }

    order_from_cmp!(Key);

    #[test]
    fn equality_and_partial_order_follow_cmp() {
        // total_cmp puts −0 before +0, so the two are not equal as keys.
        assert!(Key(-0.0, 1) < Key(0.0, 1));
        assert_ne!(Key(-0.0, 1), Key(0.0, 1));
        // Equal floats: the higher index comes first (reversed field).
        assert!(Key(1.0, 2) < Key(1.0, 1));
        assert_eq!(Key(1.0, 1), Key(1.0, 1));
        assert_eq!(
            Key(f64::NAN, 0).partial_cmp(&Key(f64::NAN, 0)),
            Some(Ordering::Equal)
        );
    }
}
