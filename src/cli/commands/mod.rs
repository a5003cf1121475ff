//! One file per subcommand. A command uses the shared parts of [`crate::cli`] (its flags, the
//! [`Session`](crate::cli::session::Session), the outputs, the terminal), never another command.

pub mod allocate;
pub mod analyse;
pub mod compare;
pub mod describe;
pub mod monitor;
pub mod report;
pub mod scenario;
pub mod serve;
pub mod suggest;
pub mod synth;
pub mod test_site;
