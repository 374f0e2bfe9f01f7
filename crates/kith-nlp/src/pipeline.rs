use crate::Doc;
use kith_schema::DocumentFacts;

/// One step of the pipeline: reads what earlier components wrote and adds one layer.
pub trait Component: Send + Sync {
    /// A short name, recorded as the source of what it adds.
    fn name(&self) -> &'static str;
    /// What distinguishes this component's output from another version's: its name, plus
    /// a model's fingerprint for components that load one.
    fn fingerprint(&self) -> String {
        self.name().to_string()
    }
    /// Adds this component's layer to `doc`.
    fn process(&self, doc: &mut Doc);
}

/// Components run in order over each document.
#[derive(Default)]
pub struct Pipeline {
    components: Vec<Box<dyn Component>>,
}

impl Pipeline {
    /// A pipeline with no component.
    pub fn new() -> Pipeline {
        Pipeline::default()
    }

    /// The pipeline with `component` appended: it runs after the ones already there.
    pub fn with(mut self, component: impl Component + 'static) -> Pipeline {
        self.components.push(Box::new(component));
        self
    }

    /// The same pipeline without the components named `name` (an analysis pipeline for
    /// training a model that the full one runs).
    pub fn without(mut self, name: &str) -> Pipeline {
        self.components.retain(|c| c.name() != name);
        self
    }

    /// The pipeline cut before the first component named `name`: the components before
    /// it, and it with those after (the whole pipeline and an empty one when none is named
    /// so).
    /// Evaluations given gold entities run the first part, set the mentions, then the
    /// second.
    pub fn split_at(mut self, name: &str) -> (Pipeline, Pipeline) {
        let at = self
            .components
            .iter()
            .position(|c| c.name() == name)
            .unwrap_or(self.components.len());
        let rest = self.components.split_off(at);
        (self, Pipeline { components: rest })
    }

    /// The components' names, in running order.
    pub fn component_names(&self) -> Vec<&'static str> {
        self.components.iter().map(|c| c.name()).collect()
    }

    /// Runs every component over `doc`, in order.
    pub fn run(&self, doc: &mut Doc) {
        for component in &self.components {
            component.process(doc);
        }
    }

    /// The producer recorded in facts: Kith's version and each component's fingerprint.
    pub fn fingerprint(&self) -> String {
        let components: Vec<String> = self.components.iter().map(|c| c.fingerprint()).collect();
        format!(
            "kith-nlp {} [{}]",
            env!("CARGO_PKG_VERSION"),
            components.join(", ")
        )
    }

    /// Run the pipeline and return the document's facts, marked with this pipeline.
    pub fn extract(&self, doc: &mut Doc) -> DocumentFacts {
        self.run(doc);
        DocumentFacts {
            producer: self.fingerprint(),
            ..doc.to_facts()
        }
    }
}
