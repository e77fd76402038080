#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| rihla_fuzz_harness::snapshot_json(data));
