//! Serialization: kdb+'s IPC format (`b9`/`d9`/`okx`), its LZ-style compression, and message
//! framing.
