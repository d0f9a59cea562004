//! Questionnaires: their versions, the invitations to answer them and the
//! anonymous responses.

pub mod invitations;
