//! epop-web
