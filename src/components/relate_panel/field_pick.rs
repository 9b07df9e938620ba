//! A choice of field (the query language's names): a labelled select, "none" first when the
//! choice may be empty.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// Props of [`FieldPick`].
#[derive(Properties, PartialEq)]
pub struct FieldPickProps {
    /// The element id (tests and the label use it).
    pub id: AttrValue,
    /// The visible label.
    pub label: AttrValue,
    /// The names to choose from.
    pub names: std::rc::Rc<Vec<String>>,
    /// The chosen name (empty: none).
    pub value: String,
    /// Offer "none" (an empty choice) first, with this text.
    #[prop_or_default]
    pub none: Option<AttrValue>,
    /// A new choice.
    pub on_pick: Callback<String>,
}

/// The select.
#[component]
pub fn FieldPick(props: &FieldPickProps) -> Html {
    let onchange = {
        let on_pick = props.on_pick.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<HtmlSelectElement>() {
                on_pick.emit(s.value());
            }
        })
    };
    // A name no run of the table holds (from a link) stays listed, so the select says it.
    let unknown = !props.value.is_empty() && !props.names.contains(&props.value);
    html! {
        <label class="field-pick">
            <span>{ props.label.clone() }</span>
            <select id={props.id.clone()} class="mono" {onchange}>
                if let Some(n) = &props.none {
                    <option value="" selected={props.value.is_empty()}>{ n.clone() }</option>
                } else if props.value.is_empty() {
                    <option value="" selected=true disabled=true>{ "choose a field" }</option>
                }
                if unknown {
                    <option value={props.value.clone()} selected=true>{ format!("{} (no run has it)", props.value) }</option>
                }
                { for props.names.iter().map(|n| html! { <option value={n.clone()} selected={*n == props.value}>{ n.clone() }</option> }) }
            </select>
        </label>
    }
}
