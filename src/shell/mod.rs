//! The browser shell around the pure core: start-up, the address and history, page-wide
//! listeners (drag and drop, keyboard), and the failure banner. Components never touch
//! `window.location` or history: they dispatch actions, and [`history`] writes the address
//! the state names.

pub mod boot;
pub mod fatal;
pub mod frames;
pub mod history;
pub mod keys;
pub mod page_drop;
pub mod store;
