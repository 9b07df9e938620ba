//! A titled section of the run view with its own anchor.

use yew::prelude::*;

/// Props of [`Section`].
#[derive(Properties, PartialEq)]
pub struct SectionProps {
    /// Anchor id (`sec-...`).
    pub id: AttrValue,
    /// Heading text.
    pub title: AttrValue,
    /// The heading's line in the archive, when it has one.
    #[prop_or_default]
    pub line: Option<u32>,
    /// A note after the title (a count, "missing").
    #[prop_or_default]
    pub note: Option<AttrValue>,
    /// Content.
    #[prop_or_default]
    pub children: Children,
}

/// One section.
#[component]
pub fn Section(props: &SectionProps) -> Html {
    let heading_id = format!("{}-title", props.id);
    html! {
        <section id={props.id.clone()} class="section" aria-labelledby={heading_id.clone()}>
            <h2 id={heading_id}>
                <a class="anchor" href={format!("#{}", props.id)} aria-label={format!("Link to {}", props.title)}>{ "#" }</a>
                { props.title.clone() }
                if let Some(n) = &props.note { <span class="note">{ n.clone() }</span> }
                if let Some(l) = props.line { <span class="line-no" title="line in the archive">{ format!("line {l}") }</span> }
            </h2>
            { props.children.clone() }
        </section>
    }
}
