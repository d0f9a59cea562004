//! The conditions and words several entries of the register share: the
//! rows of a person's profile, requests and threads, and why some rows are
//! kept after an erasure.

pub(super) const PROFILE_ROWS: &str =
    "profile_id IN (SELECT id FROM profiles WHERE account_id = {account})";
/// The rows of the requests a person made, or took as the accepted peer.
macro_rules! their_requests {
    () => {
        "request_id IN (SELECT request_id FROM request_proposals WHERE account_id = {account} AND status = 'accepted') \
         OR request_id IN (SELECT id FROM intervention_requests WHERE requester_id = {account})"
    };
}
pub(super) const PAID: &str = their_requests!();
/// A request's thread is read by who made the request and by the peer who
/// took it: theirs to see in their export, with their own messages.
pub(super) const MESSAGES: &str = concat!("author_id = {account} OR ", their_requests!());
pub(super) const KEPT_FOR_COUNTS: &str =
    "compté dans les indicateurs ; ne garde qu’un lien vers le compte effacé";
pub(super) const ACCOUNTING: &str = "obligation comptable";
