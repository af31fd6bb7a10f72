//! Which export a file is, from its header row alone (never its name: people rename downloads).
//!
//! Column names are compared after normalising case, spaces, underscores and punctuation, so
//! `Usage Datetime`, `usage_datetime` and `UsageDatetime` are one column, as are the FlowRun
//! table's logical names (`starttime`) and display names (`Start time`).

use serde::Serialize;

/// A layout the importer knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// Admin center pay-as-you-go usage report, 11/09/2021 version (`Azure Subscription ID`,
    /// `Billing Period Start Date`, `Billing Model`).
    UsageReport2021,
    /// Admin center pay-as-you-go usage report, 01/14/2025 version (`Billing Policy`,
    /// `Environment Name`, `Status`).
    UsageReport2025,
    /// Power Pages authenticated or anonymous consumption report.
    PowerPagesConsumption,
    /// Azure Cost Management cost details, classic columns.
    AzureCostClassic,
    /// Azure Cost Management cost details, FOCUS columns.
    AzureCostFocus,
    /// Dataverse FlowRun table export.
    FlowRun,
}

impl Layout {
    pub const ALL: [Layout; 6] = [
        Layout::UsageReport2025,
        Layout::UsageReport2021,
        Layout::PowerPagesConsumption,
        Layout::AzureCostFocus,
        Layout::AzureCostClassic,
        Layout::FlowRun,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Layout::UsageReport2021 => "pay-as-you-go usage report (2021 layout)",
            Layout::UsageReport2025 => "pay-as-you-go usage report (2025 layout)",
            Layout::PowerPagesConsumption => "Power Pages consumption report",
            Layout::AzureCostClassic => "Azure cost details (classic columns)",
            Layout::AzureCostFocus => "Azure cost details (FOCUS columns)",
            Layout::FlowRun => "Dataverse FlowRun export",
        }
    }

    /// Whether two layouts describe the same usage (importing both counts it twice).
    pub fn family(self) -> &'static str {
        match self {
            Layout::UsageReport2021 | Layout::UsageReport2025 => "usage report",
            Layout::PowerPagesConsumption => "Power Pages report",
            Layout::AzureCostClassic | Layout::AzureCostFocus => "Azure cost details",
            Layout::FlowRun => "FlowRun export",
        }
    }

    /// The columns a file must have to be read as this layout, as documented.
    fn required(self) -> &'static [Col] {
        use Col::*;
        match self {
            Layout::UsageReport2021 => &[
                BillingPolicyId,
                AzureSubscriptionId,
                BillingPeriodStartDate,
                EnvironmentId,
                CallerId,
                CallerType,
                ResourceId,
                MeterCategory,
                MeterSubcategory,
                UsageDatetime,
                BillingModel,
                ConsumedQuantity,
                BilledQuantity,
                UnitOfMeasure,
            ],
            Layout::UsageReport2025 => &[
                BillingPolicyId,
                BillingPolicy,
                EnvironmentId,
                EnvironmentName,
                CallerId,
                CallerType,
                ResourceId,
                MeterCategory,
                MeterSubcategory,
                UsageDatetime,
                ConsumedQuantity,
                BilledQuantity,
                UnitOfMeasure,
                Status,
            ],
            Layout::PowerPagesConsumption => &[
                EnvironmentId,
                ResourceId,
                MeterCategory,
                MeterSubcategory,
                UsageDatetime,
                BilledQuantity,
                WebsiteLicenseType,
            ],
            Layout::AzureCostClassic => &[
                Date,
                MeterCategory,
                MeterSubcategory,
                MeterName,
                Quantity,
                ResourceId,
                Cost,
            ],
            Layout::AzureCostFocus => &[
                ChargePeriodStart,
                ConsumedQuantity,
                BilledCost,
                ResourceId,
                SkuMeterCategory,
                SkuMeterName,
            ],
            Layout::FlowRun => &[
                Name,
                StartTime,
                Status,
                WorkflowId,
                WorkflowName,
                IsPrimary,
                ParentRunId,
            ],
        }
    }
}

/// A column the importer reads. Each has the names exports are known to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Col {
    BillingPolicyId,
    BillingPolicy,
    AzureSubscriptionId,
    BillingPeriodStartDate,
    EnvironmentId,
    EnvironmentName,
    CallerId,
    CallerType,
    ResourceType,
    ResourceId,
    MeterCategory,
    MeterSubcategory,
    MeterName,
    UsageDatetime,
    BillingModel,
    EntitledQuantity,
    ConsumedQuantity,
    BilledQuantity,
    UnitOfMeasure,
    Status,
    WebsiteLicenseType,
    // Azure classic
    Date,
    Quantity,
    Cost,
    ConsumedService,
    ResourceName,
    SubscriptionId,
    BillingAccountId,
    BillingCurrency,
    EffectivePrice,
    // Azure FOCUS
    ChargePeriodStart,
    BilledCost,
    SkuMeterCategory,
    SkuMeterSubcategory,
    SkuMeterName,
    ResourceTypeFocus,
    // FlowRun
    Name,
    StartTime,
    TriggerType,
    WorkflowId,
    WorkflowName,
    IsPrimary,
    ParentRunId,
    OwnerId,
}

impl Col {
    /// Normalised names, the documented one first.
    fn names(self) -> &'static [&'static str] {
        use Col::*;
        match self {
            BillingPolicyId => &["billingpolicyid"],
            BillingPolicy => &["billingpolicy", "billingpolicyname"],
            AzureSubscriptionId => &["azuresubscriptionid"],
            BillingPeriodStartDate => &["billingperiodstartdate"],
            EnvironmentId => &["environmentid"],
            EnvironmentName => &["environmentname"],
            CallerId => &["callerid"],
            CallerType => &["callertype"],
            ResourceType => &["resourcetype"],
            ResourceId => &["resourceid", "instanceid"],
            MeterCategory => &["metercategory"],
            MeterSubcategory => &["metersubcategory"],
            MeterName => &["metername", "meter"],
            UsageDatetime => &["usagedatetime", "usagedate"],
            BillingModel => &["billingmodel"],
            EntitledQuantity => &["entitledquantity"],
            ConsumedQuantity => &["consumedquantity"],
            BilledQuantity => &["billedquantity"],
            UnitOfMeasure => &["unitofmeasure", "consumedunit"],
            Status => &["status", "statuscode"],
            WebsiteLicenseType => &["websitelicensetype"],
            Date => &["date", "usagedatetime"],
            Quantity => &["quantity"],
            Cost => &["costinbillingcurrency", "cost", "pretaxcost"],
            ConsumedService => &["consumedservice"],
            ResourceName => &["resourcename"],
            SubscriptionId => &["subscriptionid", "subaccountid"],
            BillingAccountId => &["billingaccountid"],
            BillingCurrency => &["billingcurrency", "billingcurrencycode"],
            EffectivePrice => &["effectiveprice", "contractedunitprice"],
            ChargePeriodStart => &["chargeperiodstart"],
            BilledCost => &["billedcost"],
            SkuMeterCategory => &["xskumetercategory"],
            SkuMeterSubcategory => &["xskumetersubcategory"],
            SkuMeterName => &["xskumetername"],
            ResourceTypeFocus => &["xresourcetype", "resourcetype"],
            Name => &["name", "flowrun", "runid"],
            StartTime => &["starttime"],
            TriggerType => &["triggertype"],
            WorkflowId => &["workflowid", "workflow"],
            WorkflowName => &["workflowname"],
            IsPrimary => &["isprimary"],
            ParentRunId => &["parentrunid"],
            OwnerId => &["ownerid", "owner"],
        }
    }

    /// The documented spelling, for messages.
    pub fn documented(self) -> &'static str {
        use Col::*;
        match self {
            BillingPolicyId => "Billing Policy ID",
            BillingPolicy => "Billing Policy",
            AzureSubscriptionId => "Azure Subscription ID",
            BillingPeriodStartDate => "Billing Period Start Date",
            EnvironmentId => "Environment ID",
            EnvironmentName => "Environment Name",
            CallerId => "Caller ID",
            CallerType => "Caller Type",
            ResourceType => "Resource Type",
            ResourceId => "Resource ID",
            MeterCategory => "Meter Category",
            MeterSubcategory => "Meter Subcategory",
            MeterName => "MeterName",
            UsageDatetime => "Usage Datetime",
            BillingModel => "Billing Model",
            EntitledQuantity => "Entitled Quantity",
            ConsumedQuantity => "Consumed Quantity",
            BilledQuantity => "Billed Quantity",
            UnitOfMeasure => "Unit of measure",
            Status => "Status",
            WebsiteLicenseType => "Website License Type",
            Date => "Date",
            Quantity => "Quantity",
            Cost => "CostInBillingCurrency",
            ConsumedService => "ConsumedService",
            ResourceName => "ResourceName",
            SubscriptionId => "SubscriptionId",
            BillingAccountId => "BillingAccountId",
            BillingCurrency => "BillingCurrency",
            EffectivePrice => "EffectivePrice",
            ChargePeriodStart => "ChargePeriodStart",
            BilledCost => "BilledCost",
            SkuMeterCategory => "x_SkuMeterCategory",
            SkuMeterSubcategory => "x_SkuMeterSubcategory",
            SkuMeterName => "x_SkuMeterName",
            ResourceTypeFocus => "x_ResourceType",
            Name => "name",
            StartTime => "starttime",
            TriggerType => "triggertype",
            WorkflowId => "workflowid",
            WorkflowName => "workflowname",
            IsPrimary => "isprimary",
            ParentRunId => "parentrunid",
            OwnerId => "ownerid",
        }
    }

    const ALL: [Col; 44] = {
        use Col::*;
        [
            BillingPolicyId,
            BillingPolicy,
            AzureSubscriptionId,
            BillingPeriodStartDate,
            EnvironmentId,
            EnvironmentName,
            CallerId,
            CallerType,
            ResourceType,
            ResourceId,
            MeterCategory,
            MeterSubcategory,
            MeterName,
            UsageDatetime,
            BillingModel,
            EntitledQuantity,
            ConsumedQuantity,
            BilledQuantity,
            UnitOfMeasure,
            Status,
            WebsiteLicenseType,
            Date,
            Quantity,
            Cost,
            ConsumedService,
            ResourceName,
            SubscriptionId,
            BillingAccountId,
            BillingCurrency,
            EffectivePrice,
            ChargePeriodStart,
            BilledCost,
            SkuMeterCategory,
            SkuMeterSubcategory,
            SkuMeterName,
            ResourceTypeFocus,
            Name,
            StartTime,
            TriggerType,
            WorkflowId,
            WorkflowName,
            IsPrimary,
            ParentRunId,
            OwnerId,
        ]
    };
}

/// A header name without case, spaces or punctuation.
fn normalise(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Where each known column is in a file's header.
#[derive(Clone, Debug)]
pub struct Columns {
    index: [Option<usize>; Col::ALL.len()],
}

impl Columns {
    /// Finds every known column in `header`; the first match of a name wins.
    pub fn find<'a>(header: impl IntoIterator<Item = &'a str>) -> Columns {
        let names: Vec<String> = header.into_iter().map(normalise).collect();
        let mut index = [None; Col::ALL.len()];
        for (slot, col) in index.iter_mut().zip(Col::ALL) {
            // The documented name first, then the alternatives, so that `Date` in a usage
            // report is not taken for `Usage Datetime` when both exist.
            *slot = col
                .names()
                .iter()
                .find_map(|n| names.iter().position(|h| h == n));
        }
        Columns { index }
    }

    /// The position of `col` in the header.
    pub fn get(&self, col: Col) -> Option<usize> {
        // `Col::ALL` is in declaration order (a test checks), so a column is its own index.
        self.index.get(col as usize).copied().flatten()
    }

    fn missing(&self, layout: Layout) -> Vec<Col> {
        layout
            .required()
            .iter()
            .copied()
            .filter(|c| self.get(*c).is_none())
            .collect()
    }
}

/// The header matches no known layout.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Unrecognised {
    /// Per known layout, the documented columns the header lacks.
    pub missing: Vec<(Layout, Vec<&'static str>)>,
}

impl std::fmt::Display for Unrecognised {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the header row matches none of the exports this tool reads (it recognises a file by \
             its columns):"
        )?;
        for (layout, cols) in &self.missing {
            write!(f, "\n  {}: missing {}", layout.label(), cols.join(", "))?;
        }
        Ok(())
    }
}

/// The layout of a file with this header: the first known layout whose documented columns are
/// all present (the 2025 usage report before the 2021 one, FOCUS before classic, since the
/// newer column sets are the more specific).
pub fn recognise<'a>(
    header: impl IntoIterator<Item = &'a str>,
) -> Result<(Layout, Columns), Unrecognised> {
    let columns = Columns::find(header);
    let mut missing = Vec::new();
    for layout in Layout::ALL {
        let lacks = columns.missing(layout);
        if lacks.is_empty() {
            return Ok((layout, columns));
        }
        missing.push((layout, lacks.iter().map(|c| c.documented()).collect()));
    }
    Err(Unrecognised { missing })
}

#[cfg(test)]
mod tests {
    use super::*;

    const USAGE_2025: &str = "Billing Policy ID,Billing Policy,Environment ID,Environment Name,Environment Region,Caller ID,Caller Type,Resource Type,Resource ID,Meter Category,Meter Subcategory,Usage Datetime,Entitled Quantity,Consumed Quantity,Overage Quantity,Billed Quantity,Unit of measure,Status";
    const USAGE_2021: &str = "Billing Policy ID,Azure Subscription ID,Billing Period Start Date,Billing Period End Date,Environment ID,Environment Region,Caller ID,Caller Type,Resource Type,Resource ID,Meter Category,Meter Subcategory,Usage Datetime,Billing Model,Entitled Quantity,Consumed Quantity,Overage Quantity,Billed Quantity,Unit of measure";

    fn layout_of(header: &str) -> Result<Layout, Unrecognised> {
        recognise(header.split(',')).map(|(l, _)| l)
    }

    #[test]
    fn each_documented_header_is_recognised() {
        assert_eq!(layout_of(USAGE_2025), Ok(Layout::UsageReport2025));
        assert_eq!(layout_of(USAGE_2021), Ok(Layout::UsageReport2021));
        assert_eq!(
            layout_of(
                "Environment ID,Environment Name,Resource Type,Resource ID,Meter Category,Meter Subcategory,Usage Datetime,Billed Quantity,Unit of Measure,Website License Type"
            ),
            Ok(Layout::PowerPagesConsumption)
        );
        assert_eq!(
            layout_of(
                "Date,SubscriptionId,ResourceGroup,ResourceId,ConsumedService,MeterCategory,MeterSubCategory,MeterName,Quantity,UnitOfMeasure,EffectivePrice,CostInBillingCurrency,BillingCurrency,Tags"
            ),
            Ok(Layout::AzureCostClassic)
        );
        assert_eq!(
            layout_of(
                "BilledCost,ChargePeriodStart,ConsumedQuantity,ConsumedUnit,ResourceId,ResourceName,ServiceName,x_ResourceType,x_SkuMeterCategory,x_SkuMeterSubcategory,x_SkuMeterName"
            ),
            Ok(Layout::AzureCostFocus)
        );
        assert_eq!(
            layout_of(
                "name,starttime,endtime,duration,status,triggertype,errorcode,workflowid,workflowname,isprimary,parentrunid,ownerid"
            ),
            Ok(Layout::FlowRun)
        );
        // Display names of the FlowRun table.
        assert_eq!(
            layout_of(
                "Name,Start time,Status,Trigger type,Workflow Id,Workflow name,IsPrimary,Parent Run Id,Owner"
            ),
            Ok(Layout::FlowRun)
        );
    }

    #[test]
    fn every_column_is_at_its_own_index() {
        for (i, col) in Col::ALL.into_iter().enumerate() {
            assert_eq!(col as usize, i, "{col:?}");
        }
    }

    #[test]
    fn case_and_spacing_do_not_matter() {
        let lower = USAGE_2025.to_lowercase().replace(' ', "_");
        assert_eq!(layout_of(&lower), Ok(Layout::UsageReport2025));
    }

    #[test]
    fn an_unknown_header_names_every_layout_and_its_missing_columns() {
        let Err(e) = layout_of("Environment ID,Caller ID,Foo") else {
            panic!("recognised a bogus header");
        };
        assert_eq!(e.missing.len(), Layout::ALL.len());
        let text = e.to_string();
        for layout in Layout::ALL {
            assert!(text.contains(layout.label()), "{text}");
        }
        assert!(text.contains("Billing Policy ID"), "{text}");
        assert!(!text.contains("missing Environment ID,"), "{text}");
    }
}
