// Placeholder until the generator lands; the real module replaces this file whole.
#[derive(Debug, Clone, Copy)]
pub struct DemoSpec {
    pub organisations: usize,
    pub seed: u64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PlantedPair {
    pub sme: String,
    pub end_user: String,
    pub scenario: String,
    pub reason: String,
}

pub fn stream(_spec: &DemoSpec, _emit: impl FnMut(serde_json::Value)) -> Vec<PlantedPair> {
    Vec::new()
}
