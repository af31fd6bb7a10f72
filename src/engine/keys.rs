//! One definition for each keyed enumeration of the scenario format.
//!
//! A key (`"trial"` for [`SiteStatus::Trial`](super::SiteStatus)) is part of every saved file
//! and share link. It used to be spelled in serde attributes, the decoder's tables, the forms'
//! option lists and the summary's match arms, and a typo in one of them left every test green
//! while saved scenarios stopped reopening. [`keyed_enum!`] declares the enum, its keys and its
//! labels in one table; serde, the decoder and the forms all read that table.
//!
//! A declarative macro rather than `strum`: no new dependency, and the keys and the labels sit
//! side by side in one table (strum would still need serde attributes, or a second derive, to
//! write and read the same key).

/// What generic code (the decoder) needs of a [`keyed_enum!`] enum.
pub trait Keyed: Copy + Sized + 'static {
    /// Every key, in declaration order.
    fn keys() -> &'static [&'static str];
    /// Every variant, in the order of [`Keyed::keys`].
    fn all() -> &'static [Self];
}

/// Declares a field-less enum from one table of `Variant = "key", "label"` rows, with:
/// `ALL` (declaration order, which is the order forms list them), `key()` (stable: part of the
/// scenario format), `from_key()`, `label()` (words for people), and `Serialize`/`Deserialize`
/// as the key string.
///
/// ```
/// power_payg::keyed_enum! {
///     /// A colour.
///     pub enum Colour {
///         /// Red.
///         Red = "red", "Red",
///         /// Dark blue.
///         DarkBlue = "dark_blue", "Dark blue",
///     }
/// }
/// assert_eq!(Colour::DarkBlue.key(), "dark_blue");
/// assert_eq!(Colour::from_key("red"), Some(Colour::Red));
/// assert_eq!(Colour::ALL.map(|c| c.label()), ["Red", "Dark blue"]);
/// assert_eq!(serde_json::to_string(&Colour::Red).unwrap(), "\"red\"");
/// ```
#[macro_export]
macro_rules! keyed_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $key:literal, $label:literal
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        $vis enum $name {
            $(
                $(#[$vmeta])*
                $variant,
            )+
        }

        impl $name {
            /// Every variant, in declaration order (the order forms list them).
            pub const ALL: [$name; [$($key),+].len()] = [$($name::$variant),+];

            /// Every key, in the order of [`Self::ALL`].
            pub const KEYS: [&'static str; [$($key),+].len()] = [$($key),+];

            /// The key in scenario files and links (stable: changing one breaks saved files).
            pub const fn key(self) -> &'static str {
                match self {
                    $($name::$variant => $key,)+
                }
            }

            /// Reads [`Self::key`].
            pub fn from_key(key: &str) -> Option<$name> {
                match key {
                    $($key => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// Words for people (forms, summaries).
            pub const fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label,)+
                }
            }
        }

        impl $crate::engine::keys::Keyed for $name {
            fn keys() -> &'static [&'static str] {
                &$name::KEYS
            }
            fn all() -> &'static [$name] {
                &$name::ALL
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.key())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                // Owned: keys may come escaped or from a reader, where no borrow is possible.
                let key = <std::string::String as serde::Deserialize>::deserialize(d)?;
                $name::from_key(&key).ok_or_else(|| {
                    <D::Error as serde::de::Error>::unknown_variant(&key, &$name::KEYS)
                })
            }
        }
    };
}
