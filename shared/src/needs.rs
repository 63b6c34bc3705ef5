//! Needs beside resources: the municipality's common picture. For each area and age band,
//! the needs the group picture measured (a risk's share, or the share lacking a protective
//! factor, with worry and help wishes), all read from figures that passed the disclosure
//! gate, next to the resources of the register that serve there; what is high, openly
//! defined (`high`); the gaps, the resources with no measured need and the age bands with
//! no resource (`matrix`); and the lägesbild document structured as the law asks
//! (`lagesbild`). Pure, like the group picture it reads.

pub mod high;
pub mod lagesbild;
pub mod matrix;
pub mod priorities;
pub mod words;
