//! The PDF register report and per-asset dossier (to be written).
