//! The archive text as written, with line numbers: the place where every line can be
//! found, whatever the rest of the view made of it.

use yew::prelude::*;

use crate::components::common::RunProps;
use crate::components::copy_button::CopyButton;
use crate::components::section::Section;

/// The section.
#[component]
pub fn RawSection(props: &RunProps) -> Html {
    let text = props.run.text.clone();
    let count = use_memo(RawKey(props.run.clone()), |k| k.0.text.lines().count());
    let numbers = use_memo(*count, |n| {
        let mut s = String::with_capacity(n * 7);
        for i in 1..=*n {
            s.push_str(&i.to_string());
            s.push('\n');
        }
        s
    });
    html! {
        <Section id="sec-raw" title="Raw archive" note={Some(AttrValue::from(format!("{} lines", *count)))}>
            <details>
                <summary>{ "Show the archive text" }</summary>
                <div class="raw-actions"><CopyButton text={AttrValue::from(text.to_string())} what="archive text" /></div>
                <div class="raw">
                    <pre class="gutter" aria-hidden="true">{ (*numbers).clone() }</pre>
                    <pre class="raw-text">{ text.to_string() }</pre>
                </div>
            </details>
        </Section>
    }
}

#[derive(Clone)]
struct RawKey(std::rc::Rc<crate::runs::Run>);

impl PartialEq for RawKey {
    fn eq(&self, other: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.0, &other.0)
    }
}
