//! A button that copies a text to the clipboard and says so.

use yew::prelude::*;

/// Props of [`CopyButton`].
#[derive(Properties, PartialEq)]
pub struct CopyButtonProps {
    /// The text to copy.
    pub text: AttrValue,
    /// What is copied, for the accessible label.
    #[prop_or(AttrValue::from("text"))]
    pub what: AttrValue,
}

/// Copies `text`; shows "copied" for a moment.
#[component]
pub fn CopyButton(props: &CopyButtonProps) -> Html {
    let copied = use_state(|| false);
    let onclick = {
        let text = props.text.clone();
        let copied = copied.clone();
        Callback::from(move |_| {
            if let Some(w) = web_sys::window() {
                let _ = w.navigator().clipboard().write_text(&text);
                copied.set(true);
                let copied = copied.clone();
                gloo::timers::callback::Timeout::new(1500, move || copied.set(false)).forget();
            }
        })
    };
    html! {
        <button type="button" class="copy" {onclick} aria-label={format!("Copy {}", props.what)}
            title={format!("Copy {}", props.what)}>
            { if *copied { "copied" } else { "copy" } }
        </button>
    }
}
