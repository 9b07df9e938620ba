//! Yew components, one per file. Containers read the store; leaves take props. Components
//! format and dispatch; they never parse, diff or lay out.

pub mod artifacts_section;
pub mod common;
pub mod compare_pane;
pub mod compare_view;
pub mod completeness_section;
pub mod config_section;
pub mod copy_button;
pub mod data_section;
pub mod diagnostics_section;
pub mod drop_overlay;
pub mod error_list;
pub mod files_section;
pub mod help_dialog;
pub mod kv_section;
pub mod leftovers_section;
pub mod lineage_section;
pub mod loss_chart;
pub mod nway_view;
pub mod paste_dialog;
pub mod raw_section;
pub mod repro_section;
pub mod resources_section;
pub mod run_header;
pub mod run_pane;
pub mod run_view;
pub mod section;
pub mod share_button;
pub mod sidebar;
pub mod step_card;
pub mod step_chart;
pub mod step_strip;
pub mod table_section;
pub mod topbar;
pub mod use_curve;
pub mod value_tree;
