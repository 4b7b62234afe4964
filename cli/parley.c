/* parley: entry point and subcommand table. Each verb is cmd_x_main(argc,
 * argv) in its own file; this file only dispatches and prints usage. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct {
    const char *name, *summary;
    int (*main)(int argc, char **argv);
} commands[] = {
    {"keygen", "create an identity key file (Ed25519, passphrase-sealed)", cmd_keygen_main},
    {"key", "show a key file's public key and fingerprint", cmd_key_main},
    {"verify", "verify a log, an agreement certificate or an equivocation proof offline",
     cmd_verify_main},
    {"report", "the observer report of a case's log, as text or JSON", cmd_report_main},
    {"trust", "the trust file: anchors and endorsements a verifier checks signers against",
     cmd_trust_main},
    {"status", "the local node: keys, endpoint, cases, peers", cmd_status_main},
    {"cases", "the cases the local node hosts, and their state", cmd_cases_main},
    {"log", "a case's verified timeline from the local node", cmd_log_main},
    {"export", "write a case's log from the local node to a file", cmd_export_main},
    {"connect", "make the local node dial a peer", cmd_connect_main},
    {"stop", "stop the local node", cmd_stop_main},
    {"invitations", "cases offered to the local node that wait for your consent", cmd_invitations_main},
    {"accept", "host a case an invitation offers", cmd_accept_main},
    {"decline", "forget an invitation", cmd_decline_main},
    {"case-create", "sign a new case's charter (prosecution)", cmd_case_create_main},
    {"join", "join a case the node was invited to", cmd_join_main},
    {"offer", "an offer, or with --answers a counter-offer (terms checked first)", cmd_offer_main},
    {"opinion", "give an opinion the prosecution must answer", cmd_opinion_main},
    {"respond", "answer an input with reasons (prosecution)", cmd_respond_main},
    {"sign", "sign an offer's terms", cmd_sign_main},
    {"disclose", "disclose evidence files by hash (prosecution)", cmd_disclose_main},
    {"ack", "acknowledge a disclosure (defense)", cmd_ack_main},
    {"session-propose", "propose a negotiation session", cmd_session_propose_main},
    {"session-accept", "accept a proposed session", cmd_session_accept_main},
    {"session-decline", "decline a proposed session, with reasons", cmd_session_decline_main},
    {"observe", "an observation into the record (observer)", cmd_observe_main},
    {"recording", "anchor a session's recording file by hash", cmd_recording_main},
    {"draw-commit", "commit to a random value for the observer draw", cmd_draw_commit_main},
    {"draw-reveal", "reveal it once the other side committed", cmd_draw_reveal_main},
    {"retract", "withdraw the plea after a final agreement, before judgment (suspect)", cmd_retract_main},
    {"court-adjust", "record the court's request to adjust (prosecution)", cmd_court_adjust_main},
    {"reopen", "reopen a final agreement on a lawful ground (prosecution)", cmd_reopen_main},
    {"judgment", "record the court's judgment (both sides record it)", cmd_judgment_main},
    {"withdraw", "withdraw an offer, or leave the negotiation", cmd_withdraw_main},
    {"close", "declare your side's deliberation complete", cmd_close_main},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: parley COMMAND [ARGS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-16s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'parley COMMAND --help' describes one command.\n"
               "exit status: 0 ok, 1 a check failed, 2 usage error or unusable input\n");
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("parley %s (protocol v%d)\n", PL_VERSION_STRING, PL_PROTOCOL_VERSION);
        return EXIT_OK;
    }
    if (pl_init() != PL_OK) {
        fprintf(stderr, "parley: libsodium failed to initialise\n");
        return EXIT_CHECK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].main(argc - 1, argv + 1);
    fprintf(stderr, "parley: unknown command '%s'; run 'parley --help' for the list\n", argv[1]);
    return EXIT_USAGE;
}
