package io.synod.core;

import io.synod.ResponseWriter;
import io.synod.StateMachine;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;

/**
 * The leader's call to {@link StateMachine#validate} before it proposes a client command, with the writer for the
 * reason, reused (no allocation on the hot path). A throwing validate refuses the command with an empty reason and is
 * reported: validation changes no state, so the node carries on.
 */
final class CommandValidation
{
    private final StateMachine stateMachine;
    private final ErrorHandler errorHandler;
    private final ResponseWriter reason;

    CommandValidation(final StateMachine stateMachine, final ErrorHandler errorHandler, final int maxPayloadLength)
    {
        this.stateMachine = stateMachine;
        this.errorHandler = errorHandler;
        this.reason = new ResponseWriter(maxPayloadLength);
    }

    /**
     * @return true to propose the command; false to refuse it, the reason then in {@link #reason()}.
     */
    boolean accepts(final long sessionId, final DirectBuffer command, final int length)
    {
        reason.reset();
        try
        {
            return stateMachine.validate(sessionId, command, 0, length, reason);
        }
        catch (final Throwable ex)
        {
            reason.reset();
            errorHandler.onError(new IllegalStateException(
                "state machine validate threw for a command of session " + sessionId + "; refused it: " + ex, ex));
            return false;
        }
    }

    /**
     * @return why the last refused command was refused; valid until the next call to {@link #accepts}.
     */
    ResponseWriter reason()
    {
        return reason;
    }
}
