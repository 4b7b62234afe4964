/* parley: entry point and subcommand table. Each verb is cmd_x_main(argc,
 * argv) in its own file; this file only dispatches and prints usage. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct {
    const char *name, *summary;
    int (*main)(int argc, char **argv);
} commands[] = {
    {"keygen", N_("create an identity key file (Ed25519, passphrase-sealed)"), cmd_keygen_main},
    {"key", N_("show a key file's public key and fingerprint"), cmd_key_main},
    {"verify", N_("verify a log, an agreement certificate or an equivocation proof offline"),
     cmd_verify_main},
    {"report", N_("the observer report of a case's log, as text or JSON"), cmd_report_main},
    {"trust", N_("the trust file: anchors and endorsements a verifier checks signers against"),
     cmd_trust_main},
    {"status", N_("the local node: keys, endpoint, cases, peers"), cmd_status_main},
    {"cases", N_("the cases the local node hosts, and their state"), cmd_cases_main},
    {"log", N_("a case's verified timeline from the local node"), cmd_log_main},
    {"export", N_("write a case's log from the local node to a file"), cmd_export_main},
    {"connect", N_("make the local node dial a peer"), cmd_connect_main},
    {"disconnect", N_("make the local node stop dialling a peer, and forget it"), cmd_disconnect_main},
    {"stop", N_("stop the local node"), cmd_stop_main},
    {"ui", N_("a one-time login link to the local node's web app"), cmd_ui_main},
    {"wait", N_("wait until the peers hold a message"), cmd_wait_main},
    {"invitations", N_("cases offered to the local node that wait for your consent"), cmd_invitations_main},
    {"accept", N_("host a case an invitation offers"), cmd_accept_main},
    {"decline", N_("forget an invitation"), cmd_decline_main},
    {"case-create", N_("sign a new case's charter (prosecution)"), cmd_case_create_main},
    {"join", N_("join a case the node was invited to"), cmd_join_main},
    {"offer", N_("an offer, or with --answers a counter-offer (terms checked first)"), cmd_offer_main},
    {"opinion", N_("give an opinion the prosecution must answer"), cmd_opinion_main},
    {"respond", N_("answer an input with reasons (prosecution)"), cmd_respond_main},
    {"sign", N_("sign an offer's terms"), cmd_sign_main},
    {"disclose", N_("disclose evidence files by hash (prosecution)"), cmd_disclose_main},
    {"ack", N_("acknowledge a disclosure (defense)"), cmd_ack_main},
    {"session-propose", N_("propose a negotiation session"), cmd_session_propose_main},
    {"session-accept", N_("accept a proposed session"), cmd_session_accept_main},
    {"session-decline", N_("decline a proposed session, with reasons"), cmd_session_decline_main},
    {"observe", N_("an observation into the record (observer)"), cmd_observe_main},
    {"recording", N_("anchor a session's recording file by hash"), cmd_recording_main},
    {"draw-commit", N_("commit to a random value for the observer draw"), cmd_draw_commit_main},
    {"draw-reveal", N_("reveal it once the other side committed"), cmd_draw_reveal_main},
    {"retract", N_("withdraw the plea after a final agreement, before judgment (suspect, or a minor's guardian)"),
     cmd_retract_main},
    {"notice", N_("give the suspect the rights notice, by hash (prosecution)"), cmd_notice_main},
    {"notice-ack", N_("acknowledge the rights notice after reading it (suspect)"),
     cmd_notice_ack_main},
    {"settle", N_("propose or accept a settlement with the victim (victim, suspect, counsel)"),
     cmd_settle_main},
    {"consent", N_("consent or object to a minor's plea at the signing (guardian)"), cmd_consent_main},
    {"interpret", N_("state that the signing was interpreted into the suspect's language (interpreter)"),
     cmd_interpret_main},
    {"publicity", N_("consent or not to public observation of a session (victim)"), cmd_publicity_main},
    {"court-adjust", N_("record the court's request to adjust (prosecution)"), cmd_court_adjust_main},
    {"reopen", N_("reopen a final agreement on a lawful ground (prosecution)"), cmd_reopen_main},
    {"judgment", N_("record the court's judgment (both sides record it)"), cmd_judgment_main},
    {"withdraw", N_("withdraw an offer, or leave the negotiation"), cmd_withdraw_main},
    {"close", N_("declare your side's deliberation complete"), cmd_close_main},
};

static void usage(FILE *f)
{
    fprintf(f, "%s", _("usage: parley COMMAND [ARGS]\n\ncommands:\n"));
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-16s %s\n", commands[i].name, _(commands[i].summary));
    fprintf(f, "%s", _("\n'parley COMMAND --help' describes one command.\n"
                       "exit status: 0 ok, 1 a check failed, 2 usage error or unusable input\n"));
}

int main(int argc, char **argv)
{
    cli_i18n_init();
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("parley %s (protocol v%d)\n", PL_VERSION_STRING, PL_PROTOCOL_VERSION);
        return EXIT_OK;
    }
    if (pl_init() != PL_OK) {
        fprintf(stderr, "%s", _("parley: libsodium failed to initialise\n"));
        return EXIT_CHECK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].main(argc - 1, argv + 1);
    fprintf(stderr, _("parley: unknown command '%s'; run 'parley --help' for the list\n"), argv[1]);
    return EXIT_USAGE;
}
