//! The service desk (服务): cases — complaints (投诉), inquiries (咨询) and suggestions (建议)
//! — with their SLA clocks counted in working time on a calendar of working hours,
//! holidays and make-up working days (调休); the SLA policies that set the clocks; the
//! surveys of satisfaction (满意度) and return visits (回访); the escalations of
//! `kith remind`.
//!
//! A case's deadlines are worked out when a write changes what they follow (the case's
//! type, priority, waiting, reply, resolution; its policy; its calendar) by [`clocks`],
//! and stored as moments; whether a clock is on track, at risk, breached or met is read
//! against the clock of the read ([`cases::CASE`]'s `derived`), never stored.

pub mod calendars;
pub mod cases;
pub mod clocks;
pub mod remind;
pub mod slas;
pub mod surveys;

/// The name among checked values of a new calendar or policy when a live one has it
/// already (they are named, not numbered).
fn taken_name(
    r: &crate::store::Reader<'_>,
    entity: crate::model::Entity,
    values: &crate::store::Values,
) -> crate::core::error::Result<Option<String>> {
    let Some(name) = crate::domain::commerce::shared::value_of(values, "name")
        .and_then(|v| v.as_str().map(str::to_string))
    else {
        return Ok(None);
    };
    let taken = !crate::domain::toolkit::with_value(r, entity, "name", &name, false, 1)?.is_empty();
    Ok(taken.then_some(name))
}
