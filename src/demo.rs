// Replaced by the generator being written; types only so the crate builds meanwhile.
use crate::crm::Crm;
use crate::error::Result;
pub struct DemoOptions {
    pub seed: u64,
    pub accounts: usize,
}
impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            seed: 42,
            accounts: 300,
        }
    }
}
#[derive(Debug, Clone, serde::Serialize, PartialEq, Eq)]
pub struct DemoSummary {
    pub accounts: usize,
    pub contacts: usize,
    pub leads: usize,
    pub deals: usize,
    pub activities: usize,
    pub tasks: usize,
}
pub fn generate(crm: &mut Crm, opts: &DemoOptions) -> Result<DemoSummary> {
    let _ = (crm, opts);
    Ok(DemoSummary {
        accounts: 0,
        contacts: 0,
        leads: 0,
        deals: 0,
        activities: 0,
        tasks: 0,
    })
}
