//! The keyboard shortcuts and gestures list: the page's keys, the workspace's and Relate's.

use yew::prelude::*;

use crate::state::Action;
use crate::state::Store;

/// A titled list of (keys or gesture, what it does).
type Section = (&'static str, &'static [(&'static str, &'static str)]);

const SECTIONS: [Section; 3] = [
    (
        "Everywhere",
        &[
            ("/", "focus the runs search"),
            ("j / k", "next / previous run"),
            ("t", "toggle light and dark theme"),
            ("?", "show or hide this list"),
            ("Esc", "close a dialog"),
            (
                "Ctrl+F",
                "find any line of the archive (collapsed parts open)",
            ),
        ],
    ),
    (
        "Workspace (a focused panel)",
        &[
            ("hover", "every run's value at that x, in the side list"),
            ("← / →", "move the crosshair"),
            ("Shift+← / →", "pan"),
            ("+ / − / 0", "zoom in, out, reset"),
            ("drag", "zoom x (every panel; one with sync x off)"),
            ("Shift+drag", "pick a step range for the range table"),
            ("wheel · double-click", "zoom · reset"),
            ("Esc", "clear the crosshair and the range"),
            ("legend click", "hide or show a run"),
            ("Alt+click", "show that run alone (again: back)"),
            ("legend hover", "highlight the run in every panel"),
        ],
    ),
    (
        "Relate (runs table)",
        &[
            ("scatter ← / →", "step through the points"),
            ("Enter (scatter)", "open the highlighted point's run"),
            ("scatter drag", "tick the runs in the box (Shift adds)"),
            ("Esc (scatter)", "untick the runs"),
            ("axis drag", "brush a value range (parallel coordinates)"),
            ("↑ / ↓ (axis)", "move its brush"),
            ("Esc (axis)", "clear its brush"),
            ("l · f · Delete", "log scale · flip · remove the axis"),
        ],
    ),
];

/// The shortcuts dialog.
#[component]
pub fn HelpDialog() -> Html {
    let Some(store) = use_context::<Store>() else {
        return html! {};
    };
    let close = {
        let d = store.dispatcher();
        Callback::from(move |_| d.dispatch(Action::Help(false)))
    };
    let section = |(title, rows): &Section| {
        html! {
            <>
                <h3>{ *title }</h3>
                <table class="grid help-keys">
                    { for rows.iter().map(|(k, v)| html! { <tr><td><kbd>{ *k }</kbd></td><td>{ *v }</td></tr> }) }
                </table>
            </>
        }
    };
    html! {
        <div class="modal" role="dialog" aria-modal="true" aria-labelledby="help-title">
            <div class="modal-box help-box">
                <h2 id="help-title">{ "Keyboard shortcuts" }</h2>
                <p class="muted small">{ "and the gestures of the workspace and Relate" }</p>
                { for SECTIONS.iter().map(section) }
                <div class="row"><button type="button" onclick={close}>{ "Close" }</button></div>
            </div>
        </div>
    }
}
