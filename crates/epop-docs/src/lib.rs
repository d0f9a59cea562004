//! epop-docs
