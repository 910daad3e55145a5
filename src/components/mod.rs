//! The views, one component per file. Each reads what it needs from context (`Dataset`,
//! `ViewState`, `Results`) or props, and holds no logic beyond wiring signals to markup.

pub mod add_rules;
pub mod attack_matrix;
pub mod behind;
pub mod choice_days;
pub mod choice_places;
pub mod column_chooser;
pub mod detection_card;
pub mod detection_exports;
pub mod detections;
pub mod drop_zone;
pub mod empty_state;
pub mod event_detail;
pub mod event_row;
pub mod event_table;
pub mod export;
pub mod facets;
pub mod file_list;
pub mod findings;
pub mod header;
pub mod help;
pub mod histogram;
pub mod histogram_legend;
pub mod histogram_tooltip;
pub mod identities;
pub mod identity_card;
pub mod json_tree;
pub mod load_choice;
pub mod matched_rules;
pub mod progress;
pub mod search_bar;
pub mod service_card;
pub mod service_panel;
pub mod swimlane;
pub mod table_header;
pub mod your_rules;
