use crate::Doc;

/// One step of the pipeline: reads what earlier components wrote and adds one layer.
pub trait Component: Send + Sync {
    /// A short name, recorded as the source of what it adds.
    fn name(&self) -> &'static str;
    fn process(&self, doc: &mut Doc);
}

/// Components run in order over each document.
#[derive(Default)]
pub struct Pipeline {
    components: Vec<Box<dyn Component>>,
}

impl Pipeline {
    pub fn new() -> Pipeline {
        Pipeline::default()
    }

    pub fn with(mut self, component: impl Component + 'static) -> Pipeline {
        self.components.push(Box::new(component));
        self
    }

    pub fn component_names(&self) -> Vec<&'static str> {
        self.components.iter().map(|c| c.name()).collect()
    }

    pub fn run(&self, doc: &mut Doc) {
        for component in &self.components {
            component.process(doc);
        }
    }
}
