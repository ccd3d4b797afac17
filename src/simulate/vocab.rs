//! Words the simulator prints its debris lines with: names, places, scenes.

pub(super) const ZH_NAMES: &[&str] = &[
    "张三",
    "李明",
    "王芳",
    "陈晓东",
    "刘洋",
    "赵敏",
    "孙立",
    "周琳",
    "吴强",
    "郑华",
    "何静",
    "高远",
];
pub(super) const ZH_NUMBERS: &[&str] = &[
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十二", "十六",
];
pub(super) const ZH_WHO: &[&str] = &[
    "记者",
    "工作人员",
    "游客",
    "农民",
    "队员们",
    "市民",
    "志愿者",
    "孩子们",
    "抢修人员",
    "技术人员",
    "学生们",
    "老人们",
];
pub(super) const ZH_WHERE: &[&str] = &[
    "现场",
    "田间",
    "展厅",
    "港口",
    "社区",
    "车间",
    "街头",
    "码头",
    "训练场",
    "图书馆",
    "果园",
    "工地",
];
pub(super) const ZH_DOING: &[&str] = &[
    "采访",
    "劳作",
    "参观",
    "忙碌",
    "排队",
    "检查设备",
    "交流",
    "合影留念",
    "进行训练",
    "阅读",
    "清理路面",
    "搬运物资",
];
pub(super) const EN_FIRST: &[&str] = &[
    "Jane", "Tom", "Maria", "David", "Aisha", "Peter", "Lena", "Samuel", "Grace", "Owen", "Nadia",
    "Henry",
];
pub(super) const EN_LAST: &[&str] = &[
    "Doe",
    "Hartley",
    "Okafor",
    "Lindqvist",
    "Moreno",
    "Patel",
    "Fraser",
    "Kowalski",
    "Brennan",
    "Ashworth",
    "Tanaka",
    "Whitlock",
];
pub(super) const EN_AGENCIES: &[&str] = &["Reuters", "AP", "AFP", "Getty Images"];
pub(super) const EN_TOWNS: &[&str] = &[
    "Marlow Bay",
    "Eastbridge",
    "Kingsford",
    "Alder Vale",
    "Port Hollis",
    "Greyhaven",
    "Millbrook",
];
pub(super) const EN_DAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
pub(super) const EN_MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
pub(super) const EN_WHO: &[&str] = &[
    "Volunteers",
    "Workers",
    "Farmers",
    "Children",
    "Fans",
    "Residents",
    "Engineers",
    "Students",
    "Firefighters",
    "Shoppers",
];
pub(super) const EN_DOING: &[&str] = &[
    "sort donations",
    "inspect the damage",
    "load grain onto lorries",
    "visit the new exhibition",
    "celebrate",
    "queue for tickets",
    "clear debris",
    "wait for buses",
    "gather outside the town hall",
];
