//! The importer on arbitrary bytes: what `power-payg import FILE` and the app's import worker
//! reach. The first byte picks a header row of a known layout to put in front (or none), so the
//! fuzzer spends its time in the row parsers rather than on unrecognised headers. For every
//! input:
//!
//! - reading returns (a result or an error) without panicking or hanging;
//! - every row is accounted for: used, bad, ignored or left out on purpose;
//! - a rebuilt scenario survives encode + decode (what `import` prints, `price` reads), prices
//!   without panicking, and the reconciliation's CSV is written.
#![no_main]

use libfuzzer_sys::fuzz_target;
use power_payg::engine::{self, decode};
use power_payg::import::{self, ImportOptions, reconcile};

const HEADERS: [&str; 6] = [
    "Billing Policy ID,Billing Policy,Environment ID,Environment Name,Environment Region,Caller ID,Caller Type,Resource Type,Resource ID,Meter Category,Meter Subcategory,Usage Datetime,Entitled Quantity,Consumed Quantity,Overage Quantity,Billed Quantity,Unit of measure,Status\n",
    "Billing Policy ID;Azure Subscription ID;Billing Period Start Date;Billing Period End Date;Environment ID;Environment Region;Caller ID;Caller Type;Resource Type;Resource ID;Meter Category;Meter Subcategory;Usage Datetime;Billing Model;Entitled Quantity;Consumed Quantity;Overage Quantity;Billed Quantity;Unit of measure\n",
    "Environment ID,Environment Name,Resource Type,Resource ID,Meter Category,Meter Subcategory,Usage Datetime,Billed Quantity,Unit of Measure,Website License Type\n",
    "Date,SubscriptionId,ResourceGroup,ResourceId,ConsumedService,MeterCategory,MeterSubCategory,MeterName,Quantity,UnitOfMeasure,EffectivePrice,CostInBillingCurrency,BillingCurrency,BillingAccountId,Tags\n",
    "BilledCost,BillingAccountId,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ConsumedQuantity,ConsumedUnit,ContractedUnitPrice,ResourceId,ResourceName,ServiceName,SubAccountId,x_ResourceType,x_SkuMeterCategory,x_SkuMeterSubcategory,x_SkuMeterName\n",
    "name,starttime,endtime,duration,status,triggertype,errorcode,workflowid,workflowname,isprimary,parentrunid,ownerid\n",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let mut file = Vec::new();
    if let Some(header) = HEADERS.get(usize::from(pick) % (HEADERS.len() + 1)) {
        file.extend_from_slice(header.as_bytes());
    }
    file.extend_from_slice(body);
    let options = ImportOptions {
        reconcile: true,
        ..ImportOptions::default()
    };
    let Ok(result) = import::import_all(options, [("fuzz.csv".to_string(), &file[..])]) else {
        return;
    };
    for f in &result.files {
        assert!(f.rows_used + f.bad_row_count + f.ignored_rows + f.other_service_rows <= f.rows);
    }
    let _ = reconcile::to_csv(&result.reconciliation);
    if let Some(scenario) = &result.scenario {
        let again = decode::decode_scenario(&decode::encode_scenario(scenario));
        assert_eq!(again.as_ref(), Ok(scenario), "an imported scenario does not survive encode + decode");
        let _ = engine::price(scenario);
    }
});
