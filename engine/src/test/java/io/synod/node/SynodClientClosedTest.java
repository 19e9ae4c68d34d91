package io.synod.node;

import io.synod.client.SynodClient;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * A guard: every public no-argument method of a closed {@link SynodClient} returns without crashing the JVM or
 * throwing. UDP ports 27300-27399.
 */
class SynodClientClosedTest
{
    @Test
    void everyPublicMethodIsSafeAfterClose() throws IllegalAccessException
    {
        try (TestCluster cluster = new TestCluster(27300, 3))
        {
            cluster.awaitLeader(10_000);
            final SynodClient client = SynodClient.connect(cluster.clientContext());
            client.close();
            for (final Method method : SynodClient.class.getMethods())
            {
                if (method.getDeclaringClass() == Object.class || Modifier.isStatic(method.getModifiers()) ||
                    method.getParameterCount() > 0)
                {
                    continue;
                }
                try
                {
                    method.invoke(client);
                }
                catch (final InvocationTargetException ex)
                {
                    throw new AssertionError(method.getName() + " after close threw " + ex.getCause(), ex.getCause());
                }
            }
        }
    }
}
