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
 * With -Dcruddur.preload=<file> (one class name a line), once the server listens, a background thread
 * loads and links the classes DynamoDB Local's first requests need (CreateTable, BatchWriteItem, Query:
 * the list is written by scripts/first-requests-classes.mjs). A just-started JVM's first requests spend
 * a good part of their time reading and verifying those classes one by one; done beside them, on a
 * second core, they answer sooner. Nothing is initialised (no static code of DynamoDB Local runs here),
 * so the order in which its threads initialise classes is theirs, as without it. A class that is not
 * there is skipped: an older list slows nothing down. -Dcruddur.preload.report=true prints how many
 * were found.
 *
 * Compiled by `npm run build:java` (javac --release 17); the .class is committed so a machine with
 * only a Java runtime (no compiler) can run it.
 */
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
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
    String preload = System.getProperty("cruddur.preload");
    if (preload != null) {
      Thread thread = new Thread(() -> preload(Path.of(preload)), "cruddur-preload");
      thread.setDaemon(true);
      thread.start();
    }
  }

  private static void preload(Path list) {
    ClassLoader loader = LoopbackLauncher.class.getClassLoader();
    int found = 0;
    int listed = 0;
    try {
      for (String name : Files.readAllLines(list)) {
        if (name.isBlank()) continue;
        listed++;
        try {
          // Reflection on the constructors links the class (verifies it) without initialising it.
          Class.forName(name.strip(), false, loader).getDeclaredConstructors();
          found++;
        } catch (Throwable missing) {
          // another version of DynamoDB Local: it loads what it needs itself
        }
      }
    } catch (Throwable unreadable) {
      // no list, nothing to do
    }
    if (Boolean.getBoolean("cruddur.preload.report")) System.err.println("cruddur-preload: " + found + " of " + listed + " classes");
  }
}
