-- Names are read as names are (src/model/pinyin.rs: 重庆 chong qing, 厦门 xia men, 单 shan
-- as a surname), so their sort keys are made again: from Rust, after the steps
-- (NAME_KEYS_VERSION in src/store/schema.rs).
SELECT 1;
