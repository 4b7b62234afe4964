/* Parley's web app (issue 16). It renders and transports: every act is a
 * `parley` verb the node runs for this page (POST /api/run), every check
 * (the terms' statutory limits, the rules of SPEC §13) is the library's,
 * run by that verb, and every refusal shown is the verb's own words, in
 * the reader's language. No rule of the protocol lives here. */
"use strict";

const TEXT = {
  zh: {
    brand: "Parley 认罪认罚协商", cases: "我的案件", newcase: "新建案件", verify: "核验证书或日志",
    lang: "English", login: "请在终端运行 parley ui，打开它给出的登录链接。",
    node: "本节点", keys: "本节点的密钥", held: "由持有人保管，每次行为输入其本人口令",
    nocases: "尚无案件。", case: "案件", state: "协议状态", round: "轮次", messages: "消息数",
    open: "打开", waiting: "待办事项", nothing: "目前没有需要您处理的事项。",
    invitations: "邀请", accept: "接受",
    participants: "参与人", timeline: "时间线", role: "角色", name: "姓名", fingerprint: "指纹",
    as: "以此身份", passphrase: "持有人口令", passhint: "该密钥由持有人自行保管：请持有人本人输入口令。",
    submit: "提交", sent: "已签名并发送：", refused: "未发送：", cert: "下载协议证书",
    valid: "有效", flagged: "违反规则", says: "内容", refersto: "针对",
    title: "案件名称", participant: "参与人（每行：角色:公钥:姓名）", create: "签署案件章程",
    act_offer: "提出量刑建议或反提议", act_sign: "签署", act_opinion: "发表意见",
    act_respond: "答复（须说明理由）", act_session_propose: "提议协商会议",
    act_session_accept: "接受协商会议", act_notice: "权利告知", act_notice_ack: "确认已阅读权利告知",
    act_draw_commit: "抽签承诺（选定观察员）", act_draw_reveal: "抽签揭示", act_session_decline: "拒绝协商会议",
    draw_round: "抽签轮次", drawhint: "先承诺，看到对方的承诺后再揭示；揭示后随机选定观察员。",
    obs_view: "观察员视图", obs_inputs: "意见与提议及其答复", obs_answered: "已答复", obs_unanswered: "未答复",
    obs_disclosures: "证据开示", obs_acked: "已确认", obs_not_acked: "未确认", obs_sessions: "协商会议",
    obs_outcome: "结果", obs_recordings: "录音录像", obs_violations: "违反规则的消息", obs_forks: "分叉（同一序号两条消息）",
    obs_unilateral: "单方行为", obs_draw: "观察员抽签", obs_drawn: "抽中的观察员", obs_not_revealed: "尚未揭示",
    obs_none: "无", obs_open: "未答复的输入", defense: "辩方", type: "类型",
    bytes: "字节", hash: "哈希值", obs_void_from: "自此序号起的消息无效：",
    pool: "观察员候选人（公钥，每行一个）", poolhint: "如不在上方列明观察员，可列出候选公民的公钥，由控辩双方抽签选定（R8）。",
    act_join: "加入案件", act_disclose: "证据开示", act_ack: "确认证据开示", act_close: "本方审议完毕",
    act_withdraw: "撤回提议或退出协商", act_retract: "撤回认罪认罚（犯罪嫌疑人）", act_observe: "观察记录",
    answers: "所针对的提议（反提议时选择）", none: "（无）", charge_article: "罪名条文（如 133-1）",
    charge_name: "罪名", penalty: "主刑", months_min: "刑期下限（月）", months_max: "刑期上限（月）",
    probation: "缓刑考验期（月）", fine: "罚金（元）", custody_days: "先行羁押（日）", designated_days: "指定居所监视居住（日）",
    prohibition: "禁止令：禁止从事的活动、进入的区域或者接触的人", bracket: "量刑档次（自最轻一档起，可不填）", prohibition_months: "禁止令期限（月）",
    occupation_ban: "从业禁止：禁止从事的职业", occupation_ban_months: "从业禁止期限（月，三十六至六十）", amount: "要求赔偿金额（元，仅限赔偿意见）", procedure: "程序", grounds: "从宽理由",
    facts: "案件事实", check_ok: "符合法定幅度：", check_bad: "不符合法律规定：",
    charges: "罪名", recidivist: "累犯", ringleader: "首要分子", minor: "未成年人犯罪",
    impairment: "盲聋哑人或限制行为能力的精神病人",
    offer: "提议", session: "协商会议", witness: "作为见证人签署（辩护人）", dissent: "保留意见（意见编号）",
    signfirst: "您将签署以下条款：", topic: "事项", text: "内容", regarding: "针对的提议",
    input: "所答复的意见或反提议", decision: "决定", reasons: "理由", time: "时间", venue: "地点",
    mode: "方式", facility: "在看守所内进行", public: "同意公开观察", proposal: "会议提议",
    file: "文件", language: "语言", notice: "权利告知", disclosure: "证据开示",
    act_consent: "法定代理人到场：同意或提出异议", agrees: "意见", agrees_yes: "同意未成年人认罪认罚", agrees_no: "提出异议（不签署具结书）",
    consenthint: "请在未成年犯罪嫌疑人签署的协商会议中、其签署之前发送。",
    act_interpret: "翻译人员到场：声明已为签署进行翻译",
    act_publicity: "被害人：是否同意公开观察会议", public_yes: "同意公开观察", public_no: "不同意公开观察", interp_language: "翻译所用的语言（可选）",
    interphint: "语言标记，如 ug、en；留空则为案件章程载明的犯罪嫌疑人语言。请在犯罪嫌疑人签署的协商会议中、其签署之前发送。",
    case_language: "诉讼使用的语言（可选）", case_language_hint: "语言标记，默认为 zh；犯罪嫌疑人通晓的语言与之不同的，须由翻译人员到场翻译后方可签署（刑事诉讼法第九条）。",
    closed_field: "依法不公开（可选）", closed_no: "否", closed_state_secret: "涉及国家秘密", closed_privacy: "涉及个人隐私", closed_trade_secret: "涉及商业秘密",
    suspect_birth_is: "犯罪嫌疑人出生日期 ", nationality_is: "国籍 ", language_is: "通晓语言 ",
    interp_needed: "应当为其提供翻译，诉讼使用 ", closed_is: "依法不公开：",
    suspect_birth: "犯罪嫌疑人出生日期（可选）", suspect_nationality: "犯罪嫌疑人国籍（可选，三字母代码，如 CHN）", suspect_language: "犯罪嫌疑人通晓的语言（可选，如 zh、ug）",
    act_settle_withdraw: "撤回本方的和解提议", settlement_own: "本方尚未被接受的和解提议",
    act_settle: "提出和解（谅解书或和解协议）", act_settle_accept: "接受对方提出的和解",
    settle_kind: "种类", settle_letter: "谅解书（被害人出具）", settle_agreement: "和解协议（双方签订）",
    agreed: "约定赔偿金额（元，无则填 0）", paid: "已支付金额（元）", forgiveness: "被害人予以谅解",
    warn_compensation: "警告：量刑建议以“赔偿”为从宽理由，但记录中没有被害人与辩方共同签署、载有已支付金额的和解；请要求提供支付凭证。",
    warn_forgiveness: "警告：量刑建议以“被害人谅解”为从宽理由，但记录中没有被害人与辩方共同签署、载明谅解的和解；请要求提供谅解书。",
    warn_no_statement: "注意：未成年人的法定代理人或辩护人有异议，依法不签署具结书（刑事诉讼法第一百七十四条第二款）；这不是已签署的具结书。",
    deadline_field: "审查起诉期限（可选；约束检察机关，不约束辩方）", deadline: "审查起诉期限：检察机关最迟于 ", deadline_tail: " 作出是否提起公诉的决定（刑事诉讼法第一百七十二条）；辩方不受期限约束。",
    ck_title: "同步录音录像规定核对（第四条）", ck_recorded: "签署会见的录音录像（份）", ck_notice: "签署前确认权利告知",
    ck_consequences: "告知反悔的后果", ck_heard: "检察机关签署前答复辩方意见", ck_disclosed: "签署前确认证据开示",
    ck_witnessed: "在已确定的会见中签署，辩护人见证", ck_guardian: "未成年人：法定代理人到场并表示意见",
    obs_settlements: "与被害人的和解", obs_made: "已达成", obs_not_made: "对方尚未接受", obs_withdrawn: "已由提出方撤回", obs_guardian: "法定代理人的意见",
    obs_interpreter: "翻译人员", interp_into: "翻译为 ",
    warn_probation: "警告：对未成年人或已满七十五周岁的人建议判处拘役或者三年以下有期徒刑而未建议缓刑；符合缓刑条件的，应当宣告缓刑（刑法第七十二条）。",
    warn_minor: "警告：据案件章程载明的出生日期，提出量刑建议时犯罪嫌疑人未满十八周岁，但条款未载明系未成年人犯罪（刑法第十七条）。",
    settlement: "对方提出的和解", agreed_short: "约定赔偿（元）", paid_short: "已支付（元）",
    settlehint: "请选择已签署的文书；记录中只保存其哈希值。对方以同一文件接受后，和解方告达成。",
    settleaccepthint: "请选择对方签署的同一份文书；哈希值不符则不会发送。接受即按原样签署对方提议。",
    disclosehint: "可选一至四个文件；文件留在本机，记录中只有各文件的名称、大小和哈希值。",
    ackhint: "请选择收到的文件；每一项的哈希值和大小均与开示记录相符时才会发送确认。",
    stage: "阶段", verify_file: "选择证书、日志或证明文件", statement: "显示认罪认罚具结书",
    result: "结果", none_yet: "尚无",
    roles: { prosecution: "检察机关", suspect: "犯罪嫌疑人", counsel: "辩护人", victim: "被害人",
      observer: "观察员", duty_lawyer: "值班律师", guardian: "法定代理人", interpreter: "翻译人员" },
    groundNames: { confession: "坦白", compensation: "赔偿损失", forgiveness: "取得谅解", restitution: "退赃退赔",
      surrender: "自首", other: "其他" },
    decisions: { adopted: "采纳", partly_adopted: "部分采纳", not_adopted: "不予采纳" },
    states: { none: "尚无提议", open: "协商中", pending: "待签署", final: "已达成协议",
      retracted: "已撤回", reopened: "已重新协商", withdrawn: "已撤回提议" },
    types: { charter: "案件章程", join: "加入", offer: "提议", sign: "签署", opinion: "意见",
      response: "答复", disclose: "证据开示", "disclose-ack": "确认开示", "session-propose": "会议提议",
      "session-accept": "接受会议", "session-decline": "拒绝会议", observe: "观察记录",
      recording: "录音录像", withdraw: "撤回", close: "审议完毕", retract: "撤回认罪认罚",
      notice: "权利告知", "notice-ack": "确认权利告知", judgment: "判决", "court-adjust": "法院调整建议",
      reopen: "重新协商", attest: "见证", "draw-commit": "抽签承诺", "draw-reveal": "抽签揭示",
      settlement: "和解", consent: "法定代理人意见", "settlement-withdraw": "撤回和解提议",
      interpretation: "翻译人员声明", publicity: "被害人对公开观察的意见" },
  },
  en: {
    brand: "Parley plea negotiation", cases: "My cases", newcase: "New case", verify: "Verify a certificate or log",
    lang: "中文", login: "Run parley ui in a terminal and open the login link it prints.",
    node: "This node", keys: "This node's keys", held: "held by its owner: they type their own passphrase for each act",
    nocases: "No cases yet.", case: "Case", state: "Agreement", round: "Round", messages: "Messages",
    open: "Open", waiting: "Waiting for you", nothing: "Nothing waits for you now.",
    invitations: "Invitations", accept: "Accept",
    participants: "Participants", timeline: "Timeline", role: "Role", name: "Name", fingerprint: "Fingerprint",
    as: "Acting as", passphrase: "Holder's passphrase", passhint: "This key is held by its owner: the holder types their own passphrase.",
    submit: "Submit", sent: "Signed and sent: ", refused: "Nothing was sent: ", cert: "Download the agreement certificate",
    valid: "valid", flagged: "breaks a rule", says: "Says", refersto: "Refers to",
    title: "Case title", participant: "Participants (one per line: role:key:name)", create: "Sign the charter",
    act_offer: "Offer or counter-offer", act_sign: "Sign", act_opinion: "Give an opinion",
    act_respond: "Respond (with reasons)", act_session_propose: "Propose a session",
    act_session_accept: "Accept a session", act_notice: "Rights notice", act_notice_ack: "Acknowledge the rights notice",
    act_draw_commit: "Draw the observer: commit", act_draw_reveal: "Draw the observer: reveal", act_session_decline: "Decline a session",
    draw_round: "Draw round", drawhint: "Commit first; reveal once the other side has committed; the two reveals draw the observer.",
    obs_view: "Observer's view", obs_inputs: "Opinions and offers, and their answers", obs_answered: "answered", obs_unanswered: "unanswered",
    obs_disclosures: "Disclosures", obs_acked: "acknowledged", obs_not_acked: "not acknowledged", obs_sessions: "Sessions",
    obs_outcome: "Outcome", obs_recordings: "recordings", obs_violations: "Messages that broke a rule", obs_forks: "Forks (two messages for one number)",
    obs_unilateral: "Unilateral acts", obs_draw: "Observer draw", obs_drawn: "Drawn observer", obs_not_revealed: "not revealed",
    obs_none: "none", obs_open: "Inputs awaiting an answer", defense: "defense", type: "Type",
    bytes: "Bytes", hash: "Hash", obs_void_from: "its messages void from seq",
    pool: "Observer pool (public keys, one a line)", poolhint: "Instead of naming an observer above, list citizens' keys; the two sides draw one (R8).",
    act_join: "Join the case", act_disclose: "Disclose evidence", act_ack: "Acknowledge a disclosure", act_close: "Our deliberation is complete",
    act_withdraw: "Withdraw an offer or leave", act_retract: "Withdraw the plea (suspect)", act_observe: "Observation",
    answers: "Answers the offer (for a counter-offer)", none: "(none)", charge_article: "Article (e.g. 133-1)",
    charge_name: "Charge", penalty: "Principal penalty", months_min: "Months (from)", months_max: "Months (to)",
    probation: "Probation (months)", fine: "Fine (yuan)", custody_days: "Custody (days)", designated_days: "Designated residence (days)",
    prohibition: "Prohibition order: the activities, places or persons forbidden", bracket: "Sentencing bracket (from the lightest; optional)", prohibition_months: "Prohibition order period (months)",
    occupation_ban: "Occupation ban: the occupation forbidden", occupation_ban_months: "Occupation ban period (months, 36 to 60)", amount: "Compensation demanded (yuan; compensation only)", procedure: "Procedure", grounds: "Grounds for leniency",
    facts: "Facts", check_ok: "Within the statutory limits: ", check_bad: "Unlawful: ",
    charges: "Charges", recidivist: "Recidivist", ringleader: "Ringleader", minor: "Minor offender",
    impairment: "Impairment",
    offer: "Offer", session: "Session", witness: "Sign as witness (counsel)", dissent: "Dissent (opinion id)",
    signfirst: "You are signing these terms:", topic: "Topic", text: "Text", regarding: "Regarding the offer",
    input: "The input answered", decision: "Decision", reasons: "Reasons", time: "Time", venue: "Venue",
    mode: "Mode", facility: "Held in a detention facility", public: "Consent to public observation", proposal: "Proposal",
    file: "File", language: "Language", notice: "Rights notice", disclosure: "Disclosure",
    act_consent: "Guardian present: consent or object", agrees: "Word", agrees_yes: "Consent to the minor's plea", agrees_no: "Object (no plea statement)",
    consenthint: "Send it in the fixed session in which the minor signs, before the minor signs.",
    act_interpret: "Interpreter present: state that the signing was interpreted",
    act_publicity: "Victim: consent to public observation of a session", public_yes: "I consent to public observation", public_no: "I do not consent", interp_language: "Language interpreted into (optional)",
    interphint: "A language tag such as ug or en; empty: the suspect's language as the charter states it. Send it in the session in which the suspect signs, before the suspect signs.",
    case_language: "Language of the proceedings (optional)", case_language_hint: "A language tag, zh by default; a suspect who understands another signs only after an interpreter has interpreted (CPL art. 9).",
    closed_field: "Closed by law (optional)", closed_no: "no", closed_state_secret: "state secrets", closed_privacy: "personal privacy", closed_trade_secret: "trade secrets",
    suspect_birth_is: "suspect born ", nationality_is: "nationality ", language_is: "understands ",
    interp_needed: "an interpreter is required, the proceedings being in ", closed_is: "closed by law: ",
    suspect_birth: "Suspect's date of birth (optional)", suspect_nationality: "Suspect's nationality (optional, three letters, e.g. CHN)", suspect_language: "Language the suspect understands (optional, e.g. zh, ug)",
    act_settle_withdraw: "Withdraw our settlement proposal", settlement_own: "Our proposal not yet accepted",
    act_settle: "Propose a settlement (letter of forgiveness or agreement)", act_settle_accept: "Accept the other party's settlement",
    settle_kind: "Kind", settle_letter: "Letter of forgiveness (by the victim)", settle_agreement: "Settlement agreement (by both)",
    agreed: "Compensation agreed (yuan; 0 for none)", paid: "Paid so far (yuan)", forgiveness: "The victim forgives the offender",
    warn_compensation: "Warning: the terms cite compensation, but the record holds no settlement with a payment signed by the victim and the defense; ask for proof of payment.",
    warn_forgiveness: "Warning: the terms cite the victim's forgiveness, but the record holds no settlement that forgives, signed by the victim and the defense; ask for the victim's letter.",
    warn_no_statement: "Note: the minor's guardian or defender objected, so no plea statement is signed (CPL art. 174 para. 2); this is not a signed plea statement.",
    deadline_field: "Review deadline (optional; binds the procuratorate, never the defense)", deadline: "The procuratorate decides on prosecution by ", deadline_tail: " (CPL art. 172); no deadline binds the defense.",
    ck_title: "Recording provisions checklist (art. 4)", ck_recorded: "recordings of the signing session:", ck_notice: "rights notice acknowledged before signing",
    ck_consequences: "consequences of a withdrawal told", ck_heard: "defense inputs answered before the prosecution signed:", ck_disclosed: "disclosures acknowledged before signing:",
    ck_witnessed: "signed in a fixed session, counsel witnessing", ck_guardian: "a minor: the guardian present and gave its word",
    obs_settlements: "Settlements with the victim", obs_made: "made", obs_not_made: "not accepted by the other party", obs_withdrawn: "withdrawn by its party", obs_guardian: "The guardian's word",
    obs_interpreter: "Interpreter", interp_into: "interpreted into ",
    warn_probation: "Warning: a minor or a person of 75 or more is given detention or at most three years without probation; the law says probation shall be given when its conditions are met (CL art. 72).",
    warn_minor: "Warning: by the charter's birth date the suspect was under 18 when the offer was made, but the terms do not say minor (CL art. 17).",
    settlement: "The other party's settlement", agreed_short: "agreed (yuan)", paid_short: "paid (yuan)",
    settlehint: "Choose the signed document; only its hash goes into the record. The settlement is made once the other party accepts it with the same file.",
    settleaccepthint: "Choose the same document the other party signed; nothing is sent if its hash differs. Accepting signs the proposal as it is.",
    disclosehint: "One to four files; they stay on this machine, only each file's name, size and hash go into the record.",
    ackhint: "Choose the files you received; the acknowledgment is sent only if every item's hash and size match.",
    stage: "Stage", verify_file: "Choose a certificate, log or proof file", statement: "Show the plea statement",
    result: "Result", none_yet: "none yet",
    roles: { prosecution: "prosecution", suspect: "suspect", counsel: "counsel", victim: "victim",
      observer: "observer", duty_lawyer: "duty lawyer", guardian: "guardian", interpreter: "interpreter" },
    states: { none: "no offer yet", open: "negotiating", pending: "awaiting signatures", final: "final",
      retracted: "retracted", reopened: "reopened", withdrawn: "withdrawn" },
    types: {},
  },
};

let lang = localStorage.getItem("parley-lang") || "zh";
let flash = null; /* what the last act did, shown once on the next page */
/* The session's key: the login redirect hands it in the URL fragment
 * (#k=…, never sent to a server), kept in this tab's sessionStorage and
 * sent in a header on every call. The cookie alone is not enough: cookies
 * are shared by every port of 127.0.0.1 (SPEC §14.12 *Web app* rule 4). */
let csrf = null;
const T = (k) => TEXT[lang][k] !== undefined ? TEXT[lang][k] : TEXT.en[k] !== undefined ? TEXT.en[k] : k;
const termsOf = (b) => b ? (lang === "zh" && b.terms_zh ? b.terms_zh : b.terms_text) : "";
const sub = (group, k) => (TEXT[lang][group] && TEXT[lang][group][k]) || k;

/* SPEC §13.2: the suspect's particulars, the language of the proceedings
 * and a closed case, as the charter states them, and whether the suspect
 * needs an interpreter as the library reads them (`parley log --json`);
 * null when it states none. */
function particulars(charter, needed) {
  const b = charter && charter.body;
  if (!b) return null;
  const s = (b.participants || []).find((p) => p.role === "suspect") || {};
  const bits = [];
  if (s.birth) { const d = String(s.birth); bits.push(T("suspect_birth_is") + d.slice(0, 4) + "-" + d.slice(4, 6) + "-" + d.slice(6, 8)); }
  if (s.nationality) bits.push(T("nationality_is") + s.nationality);
  if (s.language) bits.push(T("language_is") + s.language);
  if (needed) bits.push(T("interp_needed") + (b.language || "zh"));
  if (b.closed) bits.push(T("closed_is") + T("closed_" + b.closed));
  return bits.length ? el("p", { id: "particulars" }, bits.join(lang === "zh" ? "；" : "; ")) : null;
}

/* A day stated as ms UTC (SPEC §13.5 deadline): its UTC date. */
function utcDay(ms) {
  const d = new Date(Number(ms));
  return isNaN(d) ? "?" : d.toISOString().slice(0, 10);
}

/* A time for people: the JSON's UTC instant in this browser's local time,
 * "2026-12-03 09:30" (with seconds when long is set); the text as it came
 * when it is not a time. */
function localTime(iso, long) {
  const d = new Date(iso || "");
  if (!iso || isNaN(d)) return String(iso || "").replace("T", " ").slice(0, long ? 19 : 16);
  const p = (x) => String(x).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}` +
    (long ? `:${p(d.getSeconds())}` : "");
}

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const kid of kids.flat()) if (kid !== null && kid !== undefined)
    e.append(kid instanceof Node ? kid : String(kid));
  return e;
}

/* One verb, run by the node for this page. */
async function run(verb, args, flags, extra) {
  const body = Object.assign({ verb, args: args || [], flags: flags || {}, lang }, extra || {});
  const r = await fetch("/api/run", { method: "POST", credentials: "same-origin", cache: "no-store",
    headers: { "Content-Type": "application/json", "X-Parley-CSRF": csrf }, body: JSON.stringify(body) });
  if (r.status === 401) { showLogin(); throw new Error("login"); }
  const j = await r.json();
  if (j.error) return { exit: 2, stdout: "", stderr: j.error, json: null };
  let parsed = null;
  try { parsed = JSON.parse(j.stdout); } catch (e) { parsed = null; }
  j.json = parsed;
  return j;
}

function short(hex) { return hex ? hex.slice(0, 16) : ""; }

function showLogin() {
  const app = document.getElementById("app");
  app.replaceChildren(el("section", { id: "login" }, el("p", {}, T("login"))));
}

let nodeStatus = null;
async function loadStatus(caseId) {
  /* a case page asks for its own case only: one case judged, not all */
  const s = await run("status", [], caseId ? { "--case": caseId } : {});
  nodeStatus = s.json || { keys: [], held: [], waiting: [] };
  const f = document.getElementById("node");
  f.replaceChildren(T("node") + ": " + (nodeStatus.fingerprint || ""));
  return nodeStatus;
}

function chrome() {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  document.getElementById("brand").textContent = T("brand");
  document.getElementById("nav-cases").textContent = T("cases");
  document.getElementById("nav-new").textContent = T("newcase");
  document.getElementById("nav-verify").textContent = T("verify");
  document.getElementById("lang").textContent = T("lang");
  document.title = T("brand");
}

/* ---- my cases ----------------------------------------------------------------- */

async function pageCases(app) {
  const st = await loadStatus();
  const cs = await run("cases");
  const inv = await run("invitations");
  const list = cs.json || [];
  const sec = el("section", { id: "cases" }, el("h2", {}, T("cases")));
  if (list.length === 0) sec.append(el("p", {}, T("nocases")));
  else sec.append(el("table", {},
    el("tr", {}, el("th", {}, T("case")), el("th", {}, T("state")), el("th", {}, T("round")), el("th", {}, T("messages")), el("th", {}, T("waiting"))),
    list.map((c) => {
      const w = (st.waiting || []).find((x) => x.case === c.case);
      const n = w ? w.items.filter((i) => st.keys.includes(i.key) || i.key).length : 0;
      return el("tr", { "data-case": c.case },
        el("td", {}, el("a", { href: "#/case/" + c.case, class: "case-link" }, short(c.case))),
        el("td", {}, el("span", { class: "state " + c.state }, sub("states", c.state))),
        el("td", {}, c.round), el("td", {}, c.messages), el("td", {}, n));
    })));
  const keys = el("section", { id: "keys" }, el("h2", {}, T("keys")),
    el("ul", {}, (st.keys || []).map((k) => el("li", {}, el("span", { class: "fp" }, short(k)),
      (st.held || []).includes(k) ? " — " + T("held") : ""))));
  const parts = [sec];
  const invs = inv.json || [];
  if (invs.length) parts.push(el("section", { id: "invitations" }, el("h2", {}, T("invitations")),
    el("ul", {}, invs.map((i) => el("li", {}, (i.title || "") + " " + short(i.case) + " ",
      el("button", { type: "button", onclick: async () => { await run("accept", [i.case]); route(); } }, T("accept")))))));
  parts.push(keys);
  app.replaceChildren(...parts);
}

/* ---- a case ---------------------------------------------------------------------- */

function roleOf(parts, key) {
  const p = parts.find((x) => x.public_key === key);
  return p ? p.role : null;
}

/* A settlement (SPEC §13.25) in words: kind, amounts in yuan, forgiveness. */
function settleText(b) {
  const yuan = (fen) => (Number(fen || 0) / 100).toFixed(2);
  return T(b.kind === "letter" ? "settle_letter" : "settle_agreement") + " · " +
    T("agreed_short") + " " + yuan(b.agreed) + " · " + T("paid_short") + " " + yuan(b.paid) +
    (b.forgiveness ? " · " + T("forgiveness") : "") + (b.accepts ? " · " + T("act_settle_accept") : "");
}

function describe(e) {
  const b = e.body || {};
  const bits = [];
  if (e.type === "offer" && b.terms_text) bits.push(el("span", { class: "terms" }, termsOf(b)));
  if (b.text) bits.push(b.text);
  if (b.reasons) bits.push(b.reasons);
  if (b.decision) bits.push("[" + sub("decisions", b.decision) + "]");
  if (b.venue) bits.push(localTime(b.time) + " " + b.venue);
  if (b.title) bits.push(b.title);
  if (e.type === "settlement") bits.push(settleText(b));
  /* a disclosure's items: what each file was, so the receiver can match it */
  if (Array.isArray(b.items))
    bits.push(el("ul", { class: "items" }, b.items.map((i) => el("li", {},
      el("bdi", {}, String(i.title || "")), " · " + i.size + " B · " + String(i.hash || "").slice(0, 16)))));
  if (e.changes && e.changes.length) bits.push(el("div", { class: "hint" }, e.changes.map((c) => c.change).join("；")));
  return bits.map((x) => typeof x === "string" ? el("div", {}, el("bdi", {}, x)) : x);
}

function field(label, input) { return [el("label", {}, label), input]; }
function textIn(name, attrs) { return el("input", Object.assign({ type: "text", name }, attrs || {})); }
function select(name, options, attrs) {
  return el("select", Object.assign({ name }, attrs || {}),
    options.map(([v, t]) => el("option", { value: v }, t)));
}
/* A form's request refused in the page itself (nothing is sent). */
function refuseForm(f, why) {
  const out = f.querySelector(".result");
  out.hidden = false;
  out.className = "result refused";
  out.textContent = T("refused") + why;
  return null;
}

/* Every file chosen (one to four), as base64, with the names they had;
 * null for none or too many. */
async function readFiles(input) {
  const list = [...(input.files || [])];
  if (list.length === 0 || list.length > 4) return null; /* the form says why */
  const b64 = [];
  for (const f of list) {
    b64.push(await new Promise((resolve, reject) => {
      const r = new FileReader();
      r.onload = () => resolve(String(r.result).split(",")[1] || "");
      r.onerror = reject;
      r.readAsDataURL(f);
    }));
  }
  return { b64, names: list.map((f) => f.name) };
}

function readFile(input) {
  return new Promise((resolve, reject) => {
    const f = input.files && input.files[0];
    if (!f) { resolve(null); return; }
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).split(",")[1] || "");
    r.onerror = reject;
    r.readAsDataURL(f);
  });
}

async function pageCase(app, id) {
  const st = await loadStatus(id);
  const lg = await run("log", [id]);
  if (!lg.json) {
    app.replaceChildren(el("section", {}, el("div", { class: "result refused" }, lg.stderr)));
    return;
  }
  const L = lg.json;
  const tl = L.timeline || [];
  const charter = tl.find((e) => e.type === "charter");
  const parts = (charter && charter.body && charter.body.participants) || [];
  const ag = L.agreement || { state: "none", round: 0 };
  const pool = (charter && charter.body && charter.body.pool) || [];
  /* a pool member may be drawn: it joins, and observes, as the observer */
  const mine = (st.keys || []).filter((k) => roleOf(parts, k) || pool.includes(k) || tl.some((e) => e.author.public_key === k));

  const head = el("section", { id: "case-head" },
    el("h2", {}, el("bdi", {}, (charter && charter.body && charter.body.title) || short(id))),
    el("p", {}, T("state") + "：", el("span", { class: "state " + ag.state, id: "agreement-state", "data-state": ag.state }, sub("states", ag.state)),
      " ", T("round") + " " + (ag.round || 0)),
    ag.meaning ? el("p", { class: "meaning" }, ag.meaning) : null,
    /* SPEC §13.2: the procuratorate's clock, never the defense's */
    charter && charter.body && charter.body.deadline ? el("p", { id: "deadline" },
      T("deadline") + utcDay(charter.body.deadline) + T("deadline_tail")) : null,
    /* SPEC §13.2 *Particulars*, *Language*, *Closed case* */
    particulars(charter, L.interpreter_needed),
    ag.state === "final" ? el("p", {}, el("a", { href: "/api/cert?case=" + id + "&k=" + csrf, id: "cert-link", download: "parley-" + short(id) + ".cert" }, T("cert"))) : null);

  const w = (st.waiting || []).find((x) => x.case === L.case);
  const todo = el("section", { id: "todo" }, el("h2", {}, T("waiting")),
    w && w.items.length ? el("ul", { class: "todo" }, w.items.map((i) => el("li", {},
      sub("roles", i.role || "") + "：" + (i.text || i.action) + (i.message ? " " + short(i.message) : ""))))
      : el("p", {}, T("nothing")));

  const who = el("section", { id: "participants" }, el("h2", {}, T("participants")),
    el("table", {}, el("tr", {}, el("th", {}, T("name")), el("th", {}, T("role")), el("th", {}, T("fingerprint"))),
      parts.map((p) => el("tr", {}, el("td", {}, el("bdi", {}, p.name || "")), el("td", {}, sub("roles", p.role)),
        el("td", { class: "fp" }, p.fingerprint || short(p.public_key))))));

  const rows = tl.map((e) => el("tr", { class: e.verdict === "ok" ? "" : "flagged", "data-type": e.type, "data-id": e.id },
    el("td", {}, e.n), el("td", {}, localTime(e.time, true)),
    el("td", {}, el("bdi", {}, e.author.name || ""), e.author.role ? el("span", { class: "role" }, sub("roles", e.author.role)) : null),
    el("td", {}, sub("types", e.type), el("div", { class: "fp" }, short(e.id))),
    el("td", {}, describe(e), e.verdict !== "ok" ? el("div", { class: "flagged" }, T("flagged") + "：" + e.verdict) : null)));
  const timeline = el("section", { id: "timeline" }, el("h2", {}, T("timeline")), el("table", {}, rows));

  const done = flash ? el("section", { id: "flash", class: "result ok" }, flash) : null;
  flash = null;
  /* the observer (named, or drawn from the pool) sees the case as its
   * report tells it: every input and its answer, disclosures, sessions,
   * rule violations, forks and the draw */
  const observing = mine.some((k) => roleNow(parts, tl, k) === "observer" || pool.includes(k));
  const obs = observing ? await observerView(id) : null;
  app.replaceChildren(...[done, head, todo, who, obs, acts(id, L, parts, mine, st), timeline].filter(Boolean));
}

/* The role a key holds now: the charter's, else the one its latest
 * message was judged under (a drawn observer, a replaced key). */
function roleNow(parts, tl, k) {
  const r = roleOf(parts, k);
  if (r) return r;
  const last = tl.filter((e) => e.author.public_key === k && e.author.role).pop();
  return last ? last.author.role : null;
}

async function observerView(id) {
  const r = await run("report", [id]);
  const R = r.json;
  const sec = el("section", { id: "observer-view" }, el("h2", {}, T("obs_view")));
  if (!R) { sec.append(el("div", { class: "result refused" }, r.stderr)); return sec; }
  const none = () => el("p", {}, T("obs_none"));
  const table = (head, rows) => rows.length ? el("table", {}, el("tr", {}, head.map((h) => el("th", {}, h))), rows) : none();
  sec.append(el("h3", {}, T("obs_inputs")), el("p", {}, T("obs_open") + ": " + (R.open_inputs || 0)),
    table([T("time"), T("role"), T("type"), T("text"), T("decision"), T("reasons")],
      (R.inputs || []).map((i) => el("tr", { class: i.answered ? "" : "flagged", "data-answered": i.answered ? "yes" : "no" },
        el("td", {}, localTime(i.time)), el("td", {}, el("bdi", {}, i.from || "")),
        el("td", {}, sub("types", i.type)), el("td", {}, el("bdi", {}, i.text || "")),
        el("td", {}, i.answered ? (i.decision ? sub("decisions", i.decision) : T("obs_answered")) : T("obs_unanswered")),
        el("td", {}, el("bdi", {}, i.reasons || ""))))));
  sec.append(el("h3", {}, T("obs_disclosures")),
    table([T("file"), T("bytes"), T("hash"), ""], (R.disclosures || []).map((d) => el("tr", {},
      el("td", {}, el("bdi", {}, d.title || "")), el("td", {}, String(d.size)), el("td", { class: "fp" }, String(d.hash || "").slice(0, 16)),
      el("td", {}, d.acknowledged ? T("obs_acked") : T("obs_not_acked"))))));
  sec.append(el("h3", {}, T("obs_sessions")),
    table([T("time"), T("venue"), T("obs_outcome"), T("obs_recordings")], (R.sessions || []).map((x) => el("tr", {},
      el("td", {}, localTime(x.time)), el("td", {}, el("bdi", {}, x.venue || "")),
      el("td", {}, String(x.outcome || "")), el("td", {}, String(x.recordings || 0))))));
  const list = (title, items, text) => [el("h3", {}, title), items && items.length
    ? el("ul", {}, items.map((x) => el("li", {}, el("bdi", {}, text(x))))) : none()];
  /* the fields of `parley report --json` (proto/src/report.c) */
  sec.append(...list(T("obs_violations"), R.violations, (v) =>
    [v.who, sub("types", v.type), v.code + "（§" + v.section + "）"].join(" · ")));
  sec.append(...list(T("obs_forks"), R.forks, (f) =>
    [f.name || "", f.key, T("obs_void_from") + " " + f.void_from].join(" · ")));
  sec.append(...list(T("obs_unilateral"), R.unilateral, (u) =>
    [u.who, sub("types", u.type), u.text || ""].filter(Boolean).join(" · ")));
  /* SPEC §13.25, §13.26: settlements with the victim, what the agreement's
   * grounds lack, a minor's guardian and a plea without a plea statement */
  sec.append(...list(T("obs_settlements"), R.settlements, (x) =>
    [x.author && x.author.name, sub("roles", x.author && x.author.role), settleText(x),
      x.made ? T("obs_made") : x.withdrawn ? T("obs_withdrawn") : T("obs_not_made")].filter(Boolean).join(" · ")));
  const ag = R.agreement || {};
  (ag.warnings || []).forEach((g) => sec.append(el("div", { class: "result refused", "data-warning": "yes" },
    T("warn_" + g))));
  /* SPEC §13.27: the interpreter at the signing */
  if ((ag.interpreter || []).length)
    sec.append(...list(T("obs_interpreter"), ag.interpreter, (g) =>
      [g.name || "", g.fingerprint, T("interp_into") + g.language].filter(Boolean).join(" · ")));
  if ((ag.guardian || []).length)
    sec.append(...list(T("obs_guardian"), ag.guardian, (g) =>
      [g.name || "", g.fingerprint, g.agrees ? T("agrees_yes") : T("agrees_no"), g.reasons || ""].filter(Boolean).join(" · ")));
  if (ag.no_statement) sec.append(el("div", { class: "result refused", "data-warning": "yes" }, T("warn_no_statement")));
  /* SPEC §17.2 item 14: the recording provisions' checklist */
  const ck = ag.checklist;
  if (ck) {
    const row = (ok, text) => el("li", { "data-ok": ok ? "yes" : "no" }, (ok ? "☑ " : "☐ ") + text);
    const items = [
      row(ck.recorded > 0, T("ck_recorded") + " " + ck.recorded),
      row(ck.notice, T("ck_notice")),
      row(!!ck.consequences, T("ck_consequences") + (ck.consequences ? "：" + ck.consequences : "")),
      row(ck.heard === ck.answered, T("ck_heard") + " " + ck.answered + "/" + ck.heard),
      row(ck.disclosed === ck.acknowledged, T("ck_disclosed") + " " + ck.acknowledged + "/" + ck.disclosed),
      row(ck.witnessed, T("ck_witnessed"))];
    if (ck.guardian !== null && ck.guardian !== undefined) items.push(row(ck.guardian, T("ck_guardian")));
    sec.append(el("h3", {}, T("ck_title")), el("ul", { id: "checklist" }, items));
  }
  if (R.draw) {
    const d = R.draw;
    sec.append(el("h3", {}, T("obs_draw")), el("p", {}, T("obs_drawn") + "：" + (d.observer || T("obs_none"))),
      el("ul", {}, (d.rounds || []).map((x) => el("li", {}, T("draw_round") + " " + x.round + "：" +
        sub("roles", "prosecution") + " " + x.prosecution + "，" + T("defense") + " " + x.defense +
        (x.not_revealed && x.not_revealed.length ? "（" + T("obs_not_revealed") + "：" + x.not_revealed.join("、") + "）" : "")))));
  }
  return sec;
}

/* The forms: each act a `parley` verb; shown to the keys whose roles may take it. */
function acts(id, L, parts, mine, st) {
  const tl = L.timeline || [];
  const roles = mine.map((k) => roleNow(parts, tl, k));
  const charter = tl.find((e) => e.type === "charter");
  const pool = (charter && charter.body && charter.body.pool) || [];
  const inPool = mine.some((k) => pool.includes(k));
  const has = (...r) => roles.some((x) => r.includes(x));
  const of = (type) => tl.filter((e) => e.type === type && e.verdict === "ok");
  const opt = (list) => list.map((e) => [e.id, "#" + e.n + " " + sub("types", e.type) + " " + short(e.id) +
    (e.body && e.body.terms_text ? " — " + termsOf(e.body) : "") + (e.body && e.body.text ? " — " + e.body.text.slice(0, 40) : "")]);
  const sec = el("section", { id: "acts" });
  const asSel = (name) => select(name || "as", mine.map((k) => [k, sub("roles", roleOf(parts, k) || "") + " " + short(k)]));

  function form(key, fields, build, opts) {
    const f = el("form", { id: "form-" + key });
    const as = asSel();
    const pass = el("input", { type: "password", name: "passphrase", autocomplete: "new-password" });
    const passRow = [el("label", {}, T("passphrase")), el("div", {}, pass, el("div", { class: "hint" }, T("passhint")))];
    const out = el("div", { class: "result", hidden: true });
    const sync = () => {
      const held = (st.held || []).includes(as.value);
      passRow.forEach((x) => { x.hidden = !held; });
      if (opts && opts.onchange) opts.onchange(f, as.value);
    };
    as.addEventListener("change", sync);
    f.append(...field(T("as"), as), ...fields, ...passRow, el("div", { class: "wide" }, el("button", { type: "submit" }, T("submit"))), el("div", { class: "wide" }, out));
    f.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      out.hidden = false;
      out.className = "result";
      out.textContent = "…";
      const req = await build(f);
      if (!req) return;
      const flags = Object.assign({ "--as": as.value }, req.flags || {});
      const extra = Object.assign({}, req.extra || {});
      if ((st.held || []).includes(as.value)) extra.passphrase = pass.value;
      const r = await run(req.verb || key, req.args, flags, extra);
      pass.value = "";
      if (r.exit === 0) {
        /* the case as it is now, with what was just done said on top */
        flash = T("sent") + (r.json && r.json.id ? short(r.json.id) : "");
        await route();
      } else {
        out.className = "result refused";
        out.textContent = T("refused") + (r.stderr || r.stdout).trim();
      }
    });
    setTimeout(sync, 0);
    sec.append(el("details", { "data-act": key }, el("summary", {}, T("act_" + key.replace(/-/g, "_"))), f));
  }

  if (mine.length === 0) return sec;

  if (has("suspect", "counsel", "victim", "observer", "guardian") || inPool)
    form("join", [], () => ({ args: [id] }));

  if (has("prosecution", "suspect", "counsel")) {
    const check = el("div", { class: "check", id: "terms-check" });
    const grounds = ["confession", "compensation", "forgiveness", "restitution", "surrender", "other"];
    const fields = [
      ...field(T("answers"), select("answers", [["", T("none")], ...opt(of("offer"))])),
      ...field(T("charge_article"), textIn("article", { value: "133-1" })),
      ...field(T("charge_name"), textIn("charge", { value: lang === "zh" ? "危险驾驶罪" : "dangerous driving" })),
      ...field(T("bracket"), el("input", { type: "number", name: "bracket", min: 1 })),
      ...field(T("penalty"), select("penalty", [["detention", lang === "zh" ? "拘役" : "criminal detention"],
        ["imprisonment", lang === "zh" ? "有期徒刑" : "fixed-term imprisonment"], ["surveillance", lang === "zh" ? "管制" : "public surveillance"],
        ["exemption", lang === "zh" ? "免予刑事处罚" : "exemption"],
        ["additional", lang === "zh" ? "单处附加刑（如单处罚金）" : "additional penalties alone (e.g. a fine alone)"]])),
      ...field(T("months_min"), el("input", { type: "number", name: "min", min: 0, value: 2 })),
      ...field(T("months_max"), el("input", { type: "number", name: "max", min: 0, value: 2 })),
      ...field(T("probation"), el("input", { type: "number", name: "probation", min: 0 })),
      ...field(T("fine"), el("input", { type: "number", name: "fine", min: 0 })),
      ...field(T("custody_days"), el("input", { type: "number", name: "custody_days", min: 1 })),
      ...field(T("designated_days"), el("input", { type: "number", name: "designated_days", min: 1 })),
      ...field(T("prohibition"), textIn("prohibition", {})),
      ...field(T("prohibition_months"), el("input", { type: "number", name: "prohibition_months", min: 1 })),
      ...field(T("occupation_ban"), textIn("occupation_ban", {})),
      ...field(T("occupation_ban_months"), el("input", { type: "number", name: "occupation_ban_months", min: 36, max: 60 })),
      ...field(T("procedure"), select("procedure", [["speedy", lang === "zh" ? "速裁程序" : "speedy"],
        ["summary", lang === "zh" ? "简易程序" : "summary"], ["ordinary", lang === "zh" ? "普通程序" : "ordinary"]])),
      ...field(T("grounds"), el("div", {}, grounds.map((g) => el("label", {}, el("input", { type: "checkbox", name: "ground", value: g }), " " + sub("groundNames", g) + " ")))),
      ...field(T("facts"), el("textarea", { name: "facts" })),
      el("div", { class: "wide" }, check),
    ];
    const terms = (f) => {
      const v = (n) => f.elements[n].value.trim();
      const ch = { article: v("article"), name: v("charge") };
      if (v("bracket")) ch.bracket = Number(v("bracket")); /* SPEC §15.7 (v2) */
      const t = { charges: [ch], facts: v("facts"),
        penalty: { kind: v("penalty") }, procedure: v("procedure") };
      if (!["exemption", "additional"].includes(v("penalty"))) { t.penalty.min = Number(v("min")); t.penalty.max = Number(v("max") || v("min")); }
      if (v("probation")) t.probation = Number(v("probation"));
      if (v("fine")) t.fine = Math.round(Number(v("fine")) * 100);
      if (v("custody_days")) t.custody_days = Number(v("custody_days"));
      if (v("designated_days")) t.designated_residence_days = Number(v("designated_days"));
      /* SPEC §15.2 (v2): each text with its months, or neither; the
       * library's check below says which is missing */
      if (v("prohibition")) t.prohibition = v("prohibition");
      if (v("prohibition_months")) t.prohibition_months = Number(v("prohibition_months"));
      if (v("occupation_ban")) t.occupation_ban = v("occupation_ban");
      if (v("occupation_ban_months")) t.occupation_ban_months = Number(v("occupation_ban_months"));
      const g = [...f.querySelectorAll("input[name=ground]:checked")].map((x) => x.value);
      if (g.length) t.grounds = g;
      return JSON.stringify(t);
    };
    let timer = null;
    const live = (f) => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const r = await run("offer-check", [], {}, { stdin: terms(f) });
        const j = r.json || {};
        check.className = "check " + (j.lawful ? "lawful" : "unlawful");
        check.dataset.lawful = j.lawful ? "yes" : "no";
        /* the rule's meaning comes translated; the detail (the numbers)
         * is the library's English, shown to English readers */
        check.textContent = j.lawful ? T("check_ok") + j.terms_text
          : T("check_bad") + (j.message ? j.message + (j.basis ? "（" + j.basis + "）" : "") +
            (lang === "en" ? ": " + j.detail : "") : r.stderr.trim());
      }, 250);
    };
    form("offer", fields, (f) => {
      const flags = {};
      if (f.elements.answers.value) flags["--answers"] = f.elements.answers.value;
      return { args: [id], flags, extra: { stdin: terms(f) } };
    });
    const f = document.querySelector ? sec.querySelector("#form-offer") : null;
    if (f) { f.addEventListener("input", () => live(f)); f.addEventListener("change", () => live(f)); setTimeout(() => live(f), 0); }
  }

  if (has("prosecution", "suspect", "counsel")) {
    const offers = of("offer");
    const shown = el("div", { class: "signfirst wide", id: "sign-terms" });
    const pick = select("offer", opt(offers).reverse());
    const show = () => {
      const e = offers.find((x) => x.id === pick.value);
      const t = (e && e.body && e.body.terms) || {};
      shown.replaceChildren(el("div", {}, T("signfirst")),
        el("div", { class: "terms" }, e ? termsOf(e.body) : ""),
        el("div", {}, T("charges") + "：", (t.charges || []).map((c) => el("bdi", {}, c.name + "（" + c.article + "）")).reduce((a, x) => a.concat(a.length ? ["、", x] : [x]), [])),
        el("div", {}, T("facts") + "：", el("bdi", {}, t.facts || "")),
        t.grounds ? el("div", {}, T("grounds") + "：" + t.grounds.map((g) => sub("groundNames", g)).join("、")) : null,
        t.grounds_text ? el("div", {}, el("bdi", {}, t.grounds_text)) : null,
        t.recidivist ? el("div", {}, T("recidivist")) : null,
        t.ringleader ? el("div", {}, T("ringleader")) : null,
        t.minor ? el("div", {}, T("minor")) : null,
        t.impairment ? el("div", {}, T("impairment") + ": " + t.impairment.join(", ")) : null,
        e ? el("div", { class: "hint" }, T("offer") + " #" + e.n + " " + (e.author.name || "") + " " + e.id) : null);
    };
    pick.addEventListener("change", show);
    setTimeout(show, 0);
    const fields = [...field(T("offer"), pick), shown,
      ...field(T("witness"), el("input", { type: "checkbox", name: "witness" })),
      ...field(T("dissent"), textIn("dissent"))];
    form("sign", fields, (f) => {
      const flags = {};
      if (f.elements.witness.checked) flags["--witness"] = true;
      if (f.elements.dissent.value.trim()) flags["--dissent"] = f.elements.dissent.value.trim();
      return { args: [id, f.elements.offer.value], flags };
    });
  }

  if (has("victim", "suspect", "counsel", "guardian")) {
    form("opinion", [
      ...field(T("topic"), select("topic", [["sentence", lang === "zh" ? "量刑" : "sentence"], ["facts", lang === "zh" ? "事实" : "facts"],
        ["charges", lang === "zh" ? "罪名" : "charges"], ["compensation", lang === "zh" ? "赔偿" : "compensation"],
        ["forgiveness", lang === "zh" ? "谅解" : "forgiveness"], ["procedure", lang === "zh" ? "程序" : "procedure"], ["other", lang === "zh" ? "其他" : "other"]])),
      ...field(T("amount"), el("input", { type: "number", name: "amount", min: 0, step: "0.01" })),
      ...field(T("text"), el("textarea", { name: "text" }))],
    (f) => {
      const flags = { "--topic": f.elements.topic.value, "--text": f.elements.text.value };
      if (f.elements.amount.value.trim()) flags["--amount"] = f.elements.amount.value.trim();
      return { args: [id], flags };
    });
  }

  /* SPEC §13.25: the victim and the defense settle; one proposes, a key of
   * the other party accepts with the same file */
  if (has("victim", "suspect", "counsel")) {
    form("settle", [
      ...field(T("settle_kind"), select("kind", [["letter", T("settle_letter")], ["agreement", T("settle_agreement")]])),
      ...field(T("agreed"), el("input", { type: "number", name: "agreed", min: 0, step: "0.01", value: 0 })),
      ...field(T("paid"), el("input", { type: "number", name: "paid", min: 0, step: "0.01", value: 0 })),
      ...field(T("forgiveness"), el("input", { type: "checkbox", name: "forgiveness" })),
      ...field(T("file"), el("div", {}, el("input", { type: "file", name: "file" }), el("div", { class: "hint" }, T("settlehint"))))],
    async (f) => {
      const flags = { "--kind": f.elements.kind.value, "--agreed": f.elements.agreed.value.trim() || "0",
        "--paid": f.elements.paid.value.trim() || "0" };
      if (f.elements.forgiveness.checked) flags["--forgiveness"] = true;
      return { args: [id, null], flags, extra: { files: { 1: await readFile(f.elements.file) } } };
    });
    const party = (r) => (r === "victim" ? "v" : "d");
    const myParties = mine.map((k) => party(roleOf(parts, k) || ""));
    const open = of("settlement").filter((e) => e.body && !e.body.accepts &&
      myParties.some((p) => p !== party(e.author && e.author.role)) &&
      !tl.some((a) => a.type === "settlement-withdraw" && a.verdict === "ok" && a.body && a.body.settlement === e.id) &&
      !tl.some((a) => a.type === "settlement" && a.verdict === "ok" && a.body && a.body.accepts === e.id));
    /* SPEC §13.25: a party withdraws its own proposal, not yet accepted */
    const madeOrGone = (e) => tl.some((a) => a.verdict === "ok" && a.body &&
      ((a.type === "settlement" && a.body.accepts === e.id) || (a.type === "settlement-withdraw" && a.body.settlement === e.id)));
    const ownOpen = of("settlement").filter((e) => e.body && !e.body.accepts && !madeOrGone(e) &&
      myParties.some((p) => p === party(e.author && e.author.role)));
    if (ownOpen.length)
      form("settle-withdraw", [
        ...field(T("settlement_own"), select("settlement", ownOpen.reverse().map((e) => [e.id, "#" + e.n + " " + short(e.id) + " — " + settleText(e.body)]))),
        ...field(T("reasons"), el("textarea", { name: "reasons" }))],
      (f) => ({ verb: "settle-withdraw", args: [id], flags: { "--withdraw": f.elements.settlement.value, "--text": f.elements.reasons.value } }));
    if (open.length)
      form("settle-accept", [
        ...field(T("settlement"), select("settlement", open.reverse().map((e) => [e.id, "#" + e.n + " " + short(e.id) + " — " + settleText(e.body)]))),
        ...field(T("file"), el("div", {}, el("input", { type: "file", name: "file" }), el("div", { class: "hint" }, T("settleaccepthint"))))],
      async (f) => ({ verb: "settle", args: [id, null], flags: { "--accepts": f.elements.settlement.value },
        extra: { files: { 1: await readFile(f.elements.file) } } }));
  }

  if (has("prosecution")) {
    const inputs = tl.filter((e) => e.verdict === "ok" && (e.type === "opinion" || (e.type === "offer" && e.refers_to)));
    form("respond", [
      ...field(T("input"), select("input", opt(inputs).reverse())),
      ...field(T("decision"), select("decision", [["adopted", lang === "zh" ? "采纳" : "adopted"], ["partly_adopted", lang === "zh" ? "部分采纳" : "partly adopted"],
        ["not_adopted", lang === "zh" ? "不予采纳" : "not adopted"]])),
      ...field(T("reasons"), el("textarea", { name: "reasons" }))],
    (f) => ({ args: [id, f.elements.input.value], flags: { "--decision": f.elements.decision.value, "--text": f.elements.reasons.value } }));

    form("session-propose", [
      ...field(T("time"), el("input", { type: "datetime-local", name: "time" })),
      ...field(T("venue"), textIn("venue")),
      ...field(T("mode"), select("mode", [["in_person", lang === "zh" ? "当面" : "in person"], ["video", lang === "zh" ? "视频" : "video"]])),
      ...field(T("facility"), el("input", { type: "checkbox", name: "facility" })),
      ...field(T("public"), el("input", { type: "checkbox", name: "public" }))],
    (f) => {
      const when = new Date(f.elements.time.value); /* local time, as typed */
      /* sent with its zone: the CLI reads a time without one as local */
      const utc = isNaN(when) ? f.elements.time.value : when.toISOString().slice(0, 16) + "Z";
      const flags = { "--time": utc, "--venue": f.elements.venue.value, "--mode": f.elements.mode.value };
      if (f.elements.facility.checked) flags["--detention-facility"] = true;
      if (f.elements.public.checked) flags["--public"] = true;
      return { args: [id], flags };
    });

    /* the files stay here; only their hashes, sizes and names go into the log */
    form("disclose", [
      ...field(T("file"), el("div", {}, el("input", { type: "file", name: "files", multiple: true }),
        el("div", { class: "hint" }, T("disclosehint"))))],
    async (f) => {
      const got = await readFiles(f.elements.files);
      if (!got) return refuseForm(f, T("disclosehint"));
      return { args: [id, null], extra: { files: { 1: got.b64 }, names: { 1: got.names } } };
    });

    form("notice", [
      ...field(T("file"), el("input", { type: "file", name: "file" })),
      ...field(T("language"), select("language", [["zh", "中文"], ["en", "English"]])),
      ...field(T("text"), el("textarea", { name: "text" }))],
    async (f) => ({ args: [id, null], flags: { "--language": f.elements.language.value, "--text": f.elements.text.value },
      extra: { files: { 1: await readFile(f.elements.file) } } }));
  }

  /* SPEC §13.11 (v2): the victim's word on public observation */
  if (has("victim")) {
    form("publicity", [
      ...field(T("proposal"), select("proposal", opt(of("session-propose")).reverse())),
      ...field(T("agrees"), select("agrees", [["yes", T("public_yes")], ["no", T("public_no")]]))],
    (f) => ({ args: [id, f.elements.proposal.value], flags: { "--agrees": f.elements.agrees.value } }));
  }

  /* a session is answered by the side that did not propose it (SPEC §13.11) */
  if (has("prosecution", "suspect", "counsel")) {
    form("session-accept", [
      ...field(T("proposal"), select("proposal", opt(of("session-propose")).reverse())),
      ...field(T("public"), el("input", { type: "checkbox", name: "public" }))],
    (f) => ({ args: [id, f.elements.proposal.value], flags: f.elements.public.checked ? { "--public": true } : {} }));
    form("session-decline", [
      ...field(T("proposal"), select("proposal", opt(of("session-propose")).reverse())),
      ...field(T("reasons"), el("textarea", { name: "reasons" }))],
    (f) => ({ args: [id, f.elements.proposal.value], flags: { "--text": f.elements.reasons.value } }));
  }

  if (has("suspect", "counsel")) {
    /* sent only if every item's hash and size match a file chosen here */
    form("ack", [
      ...field(T("disclosure"), select("disclosure", opt(of("disclose")).reverse())),
      ...field(T("file"), el("div", {}, el("input", { type: "file", name: "files", multiple: true }),
        el("div", { class: "hint" }, T("ackhint"))))],
    async (f) => {
      const got = await readFiles(f.elements.files);
      if (!got) return refuseForm(f, T("ackhint"));
      return { args: [id, f.elements.disclosure.value, null], extra: { files: { 2: got.b64 }, names: { 2: got.names } } };
    });
  }

  if (has("suspect")) {
    form("notice-ack", [
      ...field(T("notice"), select("notice", opt(of("notice")).reverse())),
      ...field(T("file"), el("input", { type: "file", name: "file" }))],
    async (f) => ({ args: [id, f.elements.notice.value, null], extra: { files: { 2: await readFile(f.elements.file) } } }));
  }

  /* SPEC §13.26: a minor's guardian, present at the signing */
  if (has("guardian")) {
    form("consent", [
      ...field(T("offer"), select("offer", opt(of("offer")).reverse())),
      ...field(T("agrees"), el("div", {}, select("agrees", [["yes", T("agrees_yes")], ["no", T("agrees_no")]]),
        el("div", { class: "hint" }, T("consenthint")))),
      ...field(T("reasons"), el("textarea", { name: "reasons" }))],
    (f) => {
      const flags = { "--agrees": f.elements.agrees.value };
      if (f.elements.reasons.value.trim()) flags["--text"] = f.elements.reasons.value;
      return { args: [id, f.elements.offer.value], flags };
    });
  }

  /* SPEC §13.27: the interpreter, present at the signing */
  if (has("interpreter")) {
    form("interpret", [
      ...field(T("offer"), select("offer", opt(of("offer")).reverse())),
      ...field(T("interp_language"), el("div", {}, textIn("language"), el("div", { class: "hint" }, T("interphint"))))],
    (f) => {
      const flags = {};
      if (f.elements.language.value.trim()) flags["--language"] = f.elements.language.value.trim();
      return { args: [id, f.elements.offer.value], flags };
    });
  }

  if (has("suspect", "guardian")) {
    form("retract", [
      ...field(T("stage"), select("stage", [["review", lang === "zh" ? "审查起诉阶段" : "review"], ["trial", lang === "zh" ? "审判阶段" : "trial"]])),
      ...field(T("reasons"), el("textarea", { name: "reasons" }))],
    (f) => ({ args: [id], flags: { "--stage": f.elements.stage.value, "--text": f.elements.reasons.value } }));
  }

  if (pool.length && has("prosecution", "suspect", "counsel")) {
    const rounds = tl.filter((e) => e.type === "draw-commit" && e.body && e.body.round).map((e) => e.body.round);
    const next = rounds.length ? Math.max(...rounds) : 1;
    const roundIn = () => [...field(T("draw_round"), el("div", {}, el("input", { type: "number", name: "round", min: 1, value: next }),
      el("div", { class: "hint" }, T("drawhint"))))];
    form("draw-commit", roundIn(), (f) => ({ args: [id], flags: { "--round": String(f.elements.round.value) } }));
    form("draw-reveal", roundIn(), (f) => ({ args: [id], flags: { "--round": String(f.elements.round.value) } }));
  }

  if (has("observer")) {
    form("observe", [...field(T("text"), el("textarea", { name: "text" }))],
      (f) => ({ args: [id], flags: { "--text": f.elements.text.value } }));
  }
  form("close", [...field(T("reasons"), el("textarea", { name: "reasons" }))],
    (f) => ({ args: [id], flags: { "--text": f.elements.reasons.value } }));
  return sec;
}

/* ---- a new case (the prosecution signs the charter) ------------------------------------ */

function pageNew(app) {
  const out = el("div", { class: "result", hidden: true });
  const f = el("form", { id: "form-case-create" },
    ...field(T("title"), textIn("title")),
    ...field(T("participant"), el("textarea", { name: "participants", rows: 6 })),
    ...field(T("pool"), el("div", {}, el("textarea", { name: "pool", rows: 3 }), el("div", { class: "hint" }, T("poolhint")))),
    ...field(T("deadline_field"), el("input", { type: "date", name: "deadline" })),
    ...field(T("case_language"), el("div", {}, textIn("language"), el("div", { class: "hint" }, T("case_language_hint")))),
    ...field(T("closed_field"), select("closed", [["", T("closed_no")], ["state_secret", T("closed_state_secret")],
      ["privacy", T("closed_privacy")], ["trade_secret", T("closed_trade_secret")]])),
    ...field(T("suspect_birth"), el("input", { type: "date", name: "birth" })),
    ...field(T("suspect_nationality"), textIn("nationality")),
    ...field(T("suspect_language"), textIn("slanguage")),
    el("div", { class: "wide" }, el("button", { type: "submit" }, T("create"))), el("div", { class: "wide" }, out));
  f.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const list = f.elements.participants.value.split("\n").map((x) => x.trim()).filter(Boolean);
    const pool = f.elements.pool.value.split(/[\s,]+/).map((x) => x.trim()).filter(Boolean);
    const flags = { "--title": f.elements.title.value, "--participant": list };
    if (pool.length) flags["--pool"] = pool;
    if (f.elements.deadline.value) flags["--deadline"] = f.elements.deadline.value;
    /* SPEC §13.2: the language, closure and the suspect's particulars */
    if (f.elements.language.value.trim()) flags["--language"] = f.elements.language.value.trim();
    if (f.elements.closed.value) flags["--closed"] = f.elements.closed.value;
    if (f.elements.birth.value) flags["--suspect-birth"] = f.elements.birth.value;
    if (f.elements.nationality.value.trim()) flags["--suspect-nationality"] = f.elements.nationality.value.trim();
    if (f.elements.slanguage.value.trim()) flags["--suspect-language"] = f.elements.slanguage.value.trim();
    const r = await run("case-create", [], flags);
    out.hidden = false;
    if (r.exit === 0 && r.json) { out.className = "result ok"; location.hash = "#/case/" + r.json.case; }
    else { out.className = "result refused"; out.textContent = T("refused") + r.stderr.trim(); }
  });
  app.replaceChildren(el("section", {}, el("h2", {}, T("newcase")), f));
}

/* ---- verify a file offline (parley verify) --------------------------------------------- */

function pageVerify(app) {
  const out = el("div", { id: "verify-result" });
  const file = el("input", { type: "file", name: "file", id: "verify-file" });
  const stmt = el("input", { type: "checkbox", name: "statement" });
  const f = el("form", { id: "form-verify" }, ...field(T("verify_file"), file), ...field(T("statement"), stmt),
    el("div", { class: "wide" }, el("button", { type: "submit" }, T("submit"))));
  f.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const b64 = await readFile(file);
    const r = await run("verify", [null], stmt.checked ? { "--statement": true } : {}, { files: { 0: b64 || "" } });
    const j = r.json;
    if (j) {
      /* SPEC §13.25, §13.26: what a valid certificate still warns of,
       * in words above the details */
      const notes = [];
      (j.warnings || []).forEach((g) => notes.push(T("warn_" + g)));
      (j.interpreter || []).forEach((g) => notes.push(T("obs_interpreter") + ": " + (g.name || g.fingerprint) + " · " + T("interp_into") + g.language));
      if (j.no_statement) notes.push(T("warn_no_statement"));
      out.replaceChildren(el("div", { class: "result " + (j.valid ? "ok" : "refused"), "data-valid": j.valid ? "yes" : "no" },
        (j.valid ? "✓ " + T("valid") : "✗ " + (j.error || "")) + " — " + (j.kind || "") + (j.title ? " — " + j.title : "")),
      ...notes.map((x) => el("div", { class: "result refused", "data-warning": "yes" }, x)),
      el("pre", { class: "statement" }, JSON.stringify(j, null, 2)));
    } else {
      out.replaceChildren(el("div", { class: "result " + (r.exit === 0 ? "ok" : "refused"), "data-valid": r.exit === 0 ? "yes" : "no" }, r.exit === 0 ? "✓" : "✗"),
        el("pre", { class: "statement" }, (r.stdout + r.stderr).trim()));
    }
  });
  app.replaceChildren(el("section", {}, el("h2", {}, T("verify")), f, out));
}

/* Pages are drawn off-screen and put in place only if no later route
 * started meanwhile: a slow verb must not draw an old page over a new one. */
let routeSeq = 0;
async function route() {
  chrome();
  const my = ++routeSeq;
  const app = document.getElementById("app");
  const h = location.hash || "#/";
  const stage = el("div", {});
  try {
    if (h.startsWith("#/case/")) await pageCase(stage, h.slice(7));
    else if (h === "#/new") pageNew(stage);
    else if (h === "#/verify") pageVerify(stage);
    else await pageCases(stage);
  } catch (e) {
    if (e.message === "login") return;
    stage.replaceChildren(el("section", {}, el("div", { class: "result refused" }, String(e))));
  }
  if (my !== routeSeq) return;
  app.replaceChildren(...stage.childNodes);
  app.dataset.route = h;
}

async function start() {
  document.getElementById("lang").addEventListener("click", () => {
    lang = lang === "zh" ? "en" : "zh";
    localStorage.setItem("parley-lang", lang);
    route();
  });
  window.addEventListener("hashchange", route);
  chrome();
  const m = /^#k=([0-9a-f]{64})$/.exec(location.hash);
  if (m) {
    sessionStorage.setItem("parley-key", m[1]);
    history.replaceState(null, "", "/#/");
  }
  csrf = sessionStorage.getItem("parley-key");
  const r = await fetch("/api/session", { credentials: "same-origin", headers: { "X-Parley-CSRF": csrf || "" } });
  if (r.status !== 200) { showLogin(); return; }
  route();
}

document.addEventListener("DOMContentLoaded", start);
