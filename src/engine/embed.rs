//! (being written)
use super::breakdown::Ledger;
use super::money::Overflow;
use super::{EffectivePrices, IsvCustomer};

pub(crate) fn price_customers(_c: &[IsvCustomer], _p: &EffectivePrices, _ledger: &mut Ledger) -> Result<(), Overflow> {
    Ok(())
}
