/*
 * Starts Amazon DynamoDB Local bound to one address (127.0.0.1 by default) instead of every interface.
 *
 * DynamoDB Local has no option for the address it listens on: its server (Jetty) binds all of them,
 * and DynamoDB Local accepts any credentials, so anyone on the network could read and delete tables.
 * This launcher builds the server exactly as DynamoDB Local's own main class does
 * (ServerRunner.createServerFromCommandLineArgs, same arguments), sets the host of its connectors
 * before it starts, then starts it. Usage:
 *
 *   java -cp <this folder>:DynamoDBLocal.jar LoopbackLauncher <host> [DynamoDB Local arguments...]
 *
 * Compiled by `npm run build:java` (javac --release 17); the .class is committed so a machine with
 * only a Java runtime (no compiler) can run it.
 */
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Arrays;

public final class LoopbackLauncher {
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: LoopbackLauncher <host> [DynamoDB Local arguments]");
      System.exit(2);
    }
    String host = args[0];
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    Class<?> runner = Class.forName("software.amazon.dynamodb.services.local.main.ServerRunner");
    Object proxy = runner.getMethod("createServerFromCommandLineArgs", String[].class).invoke(null, (Object) rest);
    Field field = proxy.getClass().getDeclaredField("server");
    field.setAccessible(true);
    Object server = field.get(proxy);
    Object[] connectors = (Object[]) server.getClass().getMethod("getConnectors").invoke(server);
    if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local made no connector to bind");
    for (Object connector : connectors) {
      Method setHost = connector.getClass().getMethod("setHost", String.class);
      setHost.invoke(connector, host);
    }
    proxy.getClass().getMethod("start").invoke(proxy);
    System.out.println("DynamoDB Local listening on " + host);
  }
}
