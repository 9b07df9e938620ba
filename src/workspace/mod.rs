//! The many-runs workspace (issue 14), pure: its panels and crosshair ([`model`]) and its
//! colour keys ([`palette`]).

pub mod model;
pub mod palette;
